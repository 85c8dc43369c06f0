import FXCore

/// Sliding-window limits shared by every replica through Redis: one `EVALSHA` per request.
public struct RedisRateLimiter: RateLimiter {
    private let client: RedisClient
    private let keyPrefix: String

    /// - Parameter keyPrefix: namespaces the hashes, e.g. `fx:rl:`. Keys handed to `acquire` should already be
    ///   bounded in length (hashed identifiers).
    public init(client: RedisClient, keyPrefix: String = "fx:rl:") {
        self.client = client
        self.keyPrefix = keyPrefix
    }

    public func acquire(key: String, windows: [RateLimitWindow]) async throws -> RateLimitDecision {
        let check = SlidingWindowCheck(hash: keyPrefix + key, windows: windows)
        let reply = try await client.evalSHA(SlidingWindowScript.script, keys: [check.hash], args: check.arguments)
        guard let values = try SlidingWindowScript.split(reply, lengths: [check.replyLength]).first else {
            throw RedisError.unexpectedReply(reply)
        }
        let counters = windows.indices.map { position in
            let (length, overflow) = windows[position].seconds.multipliedReportingOverflow(by: 1000)
            return SlidingWindowCounter(
                previous: Int(values[1 + 3 * position]), current: Int(values[2 + 3 * position]),
                elapsed: Int(values[3 + 3 * position]), windowLength: overflow ? .max : length)
        }
        return RateLimitDecision(allowed: values[0] == 1, windows: windows, counters: counters)
    }
}
