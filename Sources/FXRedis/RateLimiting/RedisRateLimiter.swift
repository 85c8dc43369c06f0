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
        let arguments = windows.flatMap { [RedisArgument($0.quota), RedisArgument($0.seconds)] }
        let reply = try await client.evalSHA(SlidingWindowScript.script, keys: [RedisArgument(keyPrefix + key)],
                                             args: arguments)
        guard let values = reply.array?.compactMap(\.int), values.count == 1 + 3 * windows.count else {
            throw RedisError.unexpectedReply(reply)
        }
        let counters = windows.indices.map { position in
            SlidingWindowCounter(
                previous: Int(values[1 + 3 * position]), current: Int(values[2 + 3 * position]),
                elapsed: Int(values[3 + 3 * position]), windowLength: windows[position].seconds * 1000)
        }
        return RateLimitDecision(allowed: values[0] == 1, windows: windows, counters: counters)
    }
}
