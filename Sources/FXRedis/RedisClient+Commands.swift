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
