import NIOCore

extension RedisClient {
    /// Sends `PING` and returns the server's answer (`PONG`).
    @discardableResult
    public func ping(timeout: Duration? = nil) async throws -> String {
        let reply = try await send("PING", timeout: timeout)
        guard let text = reply.string else { throw RedisError.unexpectedReply(reply) }
        return text
    }

    /// The value of `key`, or nil when it does not exist.
    public func get(_ key: RedisArgument, timeout: Duration? = nil) async throws -> ByteBuffer? {
        let reply = try await send("GET", [key], timeout: timeout)
        switch reply {
        case .bulkString(let value): return value
        case .null: return nil
        default: throw RedisError.unexpectedReply(reply)
        }
    }

    /// The value of `key` read `sliceBytes` at a time with `GETRANGE`, or nil when it does not exist, is
    /// longer than `maximumBytes`, or changes length while it is read.
    ///
    /// Redis copies a reply out whole before it serves the next command, so one `GET` of megabytes holds
    /// up every other client of that Redis for as long; slices let their commands in between. The value
    /// must not be rewritten with different bytes while it is read (a key named for its content is not).
    public func get(
        _ key: RedisArgument, inSlicesOf sliceBytes: Int, maximumBytes: Int, timeout: Duration? = nil
    ) async throws -> ByteBuffer? {
        let reply = try await send("STRLEN", [key], timeout: timeout)
        guard let length = reply.int.flatMap({ Int(exactly: $0) }) else { throw RedisError.unexpectedReply(reply) }
        guard length > 0, length <= maximumBytes else { return nil }
        var value = ByteBufferAllocator().buffer(capacity: length)
        while value.readableBytes < length {
            let first = value.readableBytes
            let last = first + min(max(1, sliceBytes), length - first) - 1
            let slice = try await send("GETRANGE", [key, RedisArgument(first), RedisArgument(last)], timeout: timeout)
            guard case .bulkString(var bytes) = slice, bytes.readableBytes == last - first + 1 else { return nil }
            value.writeBuffer(&bytes)
        }
        return value
    }

    /// Sets `key` to `value`, optionally expiring after `expiration` (millisecond precision).
    public func set(
        _ key: RedisArgument,
        to value: RedisArgument,
        expiration: Duration? = nil,
        timeout: Duration? = nil
    ) async throws {
        var arguments = [key, value]
        if let expiration {
            let (seconds, attoseconds) = expiration.components
            let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
            arguments += ["PX", RedisArgument(max(milliseconds, 1))]
        }
        let reply = try await send("SET", arguments, timeout: timeout)
        guard case .simpleString = reply else { throw RedisError.unexpectedReply(reply) }
    }

    /// Deletes keys and returns how many existed.
    @discardableResult
    public func delete(_ keys: [RedisArgument], timeout: Duration? = nil) async throws -> Int {
        let reply = try await send("DEL", keys, timeout: timeout)
        guard case .integer(let count) = reply else { throw RedisError.unexpectedReply(reply) }
        return Int(count)
    }

    /// Publishes `message` on `channel` and returns how many subscribers received it.
    @discardableResult
    public func publish(_ message: RedisArgument, to channel: String, timeout: Duration? = nil) async throws -> Int {
        let reply = try await send("PUBLISH", [RedisArgument(channel), message], timeout: timeout)
        guard case .integer(let receivers) = reply else { throw RedisError.unexpectedReply(reply) }
        return Int(receivers)
    }
}
