import FXCore

/// Sliding-window limits shared by every replica through Redis: at most one script call per check, and checks
/// made at the same time share one (`RateLimitBatcher`, one lane per connection of the client).
///
/// Make one per client and share it: its lanes are its own.
public struct RedisRateLimiter: RateLimiter {
    private let client: RedisClient
    private let keyPrefix: String
    private let batcher: RateLimitBatcher

    /// - Parameter keyPrefix: namespaces the hashes, e.g. `fx:rl:`. Keys handed to `acquire` should already be
    ///   bounded in length (hashed identifiers).
    /// - Parameter lanes: how many script calls may be in flight at once. One, by default: every check that
    ///   arrives during the call joins the next, so batches are as large as the traffic makes them. At 32
    ///   concurrent requests one lane against two made batches of 10 instead of 5, and cost 8 µs of Redis CPU
    ///   and 60 µs of the replica's per request instead of 10 and 65. A call carries at most 128 checks, so
    ///   one lane still decides far more checks per second than Redis could run one by one.
    /// - Parameter maximumBatchSize: at most this many checks in one call (1 to `largestBatchSize`, which nil
    ///   means). With 1, each check is its own call and up to 256 are in flight, pipelined over the connections:
    ///   how checks went before they were batched, kept to measure what batching saves (`FX_REDIS_BATCH_SIZE`).
    public init(client: RedisClient, keyPrefix: String = "fx:rl:", lanes: Int = 1, maximumBatchSize: Int? = nil) {
        self.client = client
        self.keyPrefix = keyPrefix
        let batchSize = min(max(1, maximumBatchSize ?? Self.largestBatchSize), Self.largestBatchSize)
        self.batcher = RateLimitBatcher(client: client, laneCount: batchSize == 1 ? Self.unbatchedLanes : lanes,
                                        maximumBatchSize: batchSize)
    }

    /// The most checks one script call carries.
    public static var largestBatchSize: Int { RateLimitBatchLane<Never>.defaultMaximumBatchSize }

    /// Calls in flight at once when checks are not batched.
    private static var unbatchedLanes: Int { 256 }

    public func acquire(key: String, windows: [RateLimitWindow]) async throws -> RateLimitDecision {
        try await acquire(key: key, windows: windows, timeout: nil)
    }

    /// - Parameter timeout: overrides the client's `commandTimeout` for this check. Past it the check fails with
    ///   `RedisError.timeout` (slightly early at worst); one that was already sent may still have been counted.
    ///   A full lane fails it at once with `RedisError.overloaded`.
    public func acquire(key: String, windows: [RateLimitWindow], timeout: Duration?) async throws -> RateLimitDecision {
        let deadline = ContinuousClock.now + (timeout ?? client.configuration.commandTimeout)
        try await client.waitForStart(until: deadline)
        let values = try await batcher.decide(SlidingWindowCheck(hash: keyPrefix + key, windows: windows),
                                              deadline: deadline)
        func implausible() -> RedisError { .unexpectedReply(.array(values.map(RESPValue.integer))) }
        var counters: [SlidingWindowCounter] = []
        var at = 1
        for window in windows {
            guard at + 4 <= values.count else { throw implausible() }
            let listed = Int(values[at + 3])
            guard (0...SlidingWindowCounter.subWindowsPerWindow).contains(listed), at + 4 + listed <= values.count else {
                throw implausible()
            }
            let counter = SlidingWindowCounter(
                leaving: Int(values[at]), inWindow: Int(values[at + 1]), elapsed: Int(values[at + 2]),
                subWindowLength: SlidingWindowCounter.subWindowLength(ofWindowSeconds: window.seconds),
                covered: values[(at + 4)..<(at + 4 + listed)].map { Int($0) })
            guard counter.isPlausible else { throw implausible() }
            counters.append(counter)
            at += 4 + listed
        }
        guard values.count == at, values[0] == 0 || values[0] == 1 else { throw implausible() }
        return RateLimitDecision(allowed: values[0] == 1, windows: windows, counters: counters)
    }

    /// Checks waiting for a script call (not those in flight): what the bounded queues hold.
    var waitingCount: Int { batcher.waitingCount }
}

extension SlidingWindowCounter {
    /// Counts Redis could have made: whoever can write a client's hash can put anything in it, and a reply
    /// outside these ranges is a Redis fault (the breaker and the fallback take over), not a decision. A
    /// thousand times the largest quota a policy may set is far past any real count.
    fileprivate var isPlausible: Bool {
        let counts = 0...1_000_000_000_000
        return counts.contains(leaving) && counts.contains(inWindow) && covered.allSatisfy(counts.contains)
            && subWindowLength > 0 && (0..<subWindowLength).contains(elapsed)
    }
}
