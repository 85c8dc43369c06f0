import FXCore

/// One client's check as `SlidingWindowScript` takes it: the client's hash, and its windows encoded as the
/// script's arguments (window count, then quota and seconds of each), made by the caller before it queues.
struct SlidingWindowCheck: Sendable {
    let hash: RedisArgument
    let arguments: [RedisArgument]
    /// How many integers of the script's reply are this check's: allowed, then three per window.
    let replyLength: Int

    init(hash: String, windows: [RateLimitWindow]) {
        self.hash = RedisArgument(hash)
        var arguments = [RedisArgument(windows.count)]
        arguments.reserveCapacity(1 + 2 * windows.count)
        for window in windows {
            arguments.append(RedisArgument(window.quota))
            arguments.append(RedisArgument(window.seconds))
        }
        self.arguments = arguments
        self.replyLength = 1 + 3 * windows.count
    }
}

extension SlidingWindowScript {
    /// Cuts the script's flat reply into each check's integers, in the checks' order. A reply of any other
    /// shape throws `RedisError.unexpectedReply`, for all the checks of the call.
    static func split(_ reply: RESPValue, lengths: [Int]) throws -> [[Int64]] {
        guard let elements = reply.array else { throw RedisError.unexpectedReply(reply) }
        let values = elements.compactMap(\.int)
        guard values.count == elements.count, values.count == lengths.reduce(0, +) else {
            throw RedisError.unexpectedReply(reply)
        }
        var start = values.startIndex
        return lengths.map { length in
            defer { start += length }
            return Array(values[start..<start + length])
        }
    }
}
