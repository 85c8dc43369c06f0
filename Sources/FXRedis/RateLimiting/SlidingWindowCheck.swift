import FXCore

/// One client's check as `SlidingWindowScript` takes it: the client's hash, and its windows encoded as the
/// script's arguments (window count, then quota and seconds of each), made by the caller before it queues.
struct SlidingWindowCheck: Sendable {
    let hash: RedisArgument
    let arguments: [RedisArgument]
    /// How many windows the check has: its part of the script's reply is allowed, then for each window three
    /// integers and a count-prefixed list.
    let windowCount: Int

    init(hash: String, windows: [RateLimitWindow]) {
        self.hash = RedisArgument(hash)
        var arguments = [RedisArgument(windows.count)]
        arguments.reserveCapacity(1 + 2 * windows.count)
        for window in windows {
            arguments.append(RedisArgument(window.quota))
            arguments.append(RedisArgument(window.seconds))
        }
        self.arguments = arguments
        self.windowCount = windows.count
    }
}

extension SlidingWindowScript {
    /// Cuts the script's flat reply into each check's integers, in the checks' order, given each check's window
    /// count. A reply of any other shape throws `RedisError.unexpectedReply`, for all the checks of the call.
    static func split(_ reply: RESPValue, windowCounts: [Int]) throws -> [[Int64]] {
        guard let elements = reply.array else { throw RedisError.unexpectedReply(reply) }
        let values = elements.compactMap(\.int)
        guard values.count == elements.count else { throw RedisError.unexpectedReply(reply) }
        var start = values.startIndex
        var parts: [[Int64]] = []
        parts.reserveCapacity(windowCounts.count)
        for windows in windowCounts {
            var end = start + 1
            for _ in 0..<windows {
                // leaving, inWindow, elapsed, then k and k counts; k is 0 or one count per sub-window.
                guard end + 4 <= values.endIndex else { throw RedisError.unexpectedReply(reply) }
                let listed = values[end + 3]
                guard listed == 0 || listed == Int64(SlidingWindowCounter.subWindowsPerWindow) else {
                    throw RedisError.unexpectedReply(reply)
                }
                end += 4 + Int(listed)
            }
            guard end <= values.endIndex else { throw RedisError.unexpectedReply(reply) }
            parts.append(Array(values[start..<end]))
            start = end
        }
        guard start == values.endIndex else { throw RedisError.unexpectedReply(reply) }
        return parts
    }
}
