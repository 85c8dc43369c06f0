import Synchronization

/// Spreads rate-limit checks over a few lanes, each with at most one script call in flight, so that checks
/// made at the same time share calls instead of paying a round trip (and a Lua entry in Redis) each.
///
/// Lanes are taken round-robin: one atomic increment and one lane's lock per check, and an even spread over
/// the lanes and so over the connections. A check may then wait behind its lane's call while another lane is
/// idle; it waits for one call at most, as long as its lane is not overloaded.
final class RateLimitBatcher: Sendable {
    private let lanes: [RateLimitLane]
    private let turn = Atomic<UInt>(0)

    init(client: RedisClient, laneCount: Int, maximumBatchSize: Int) {
        lanes = (0..<max(1, laneCount)).map { _ in
            RateLimitLane(client: client, eventLoop: client.eventLoopGroup.next(),
                          lane: RateLimitBatchLane(maximumBatchSize: maximumBatchSize))
        }
    }

    /// Checks waiting for a call in every lane (not those in flight).
    var waitingCount: Int {
        lanes.reduce(0) { $0 + $1.waitingCount }
    }

    /// Decides `check` in the next call of its lane and returns its integers from the script's reply.
    func decide(_ check: SlidingWindowCheck, deadline: ContinuousClock.Instant) async throws -> [Int64] {
        let turn = turn.wrappingAdd(1, ordering: .relaxed).oldValue
        return try await lanes[Int(turn % UInt(lanes.count))].decide(check, deadline: deadline)
    }
}
