import Synchronization

/// Spreads rate-limit checks over a few lanes, each with at most one script call in flight, so that checks
/// made at the same time share calls instead of paying a round trip (and a Lua entry in Redis) each.
///
/// Lanes are taken round-robin: one atomic increment and one lane's lock per check, and an even spread over
/// the lanes and so over the connections. A check may then wait behind its lane's call while another lane is
/// idle; it waits for one call at most, as long as its lane is not overloaded.
///
/// On a cluster, a script call may touch the keys of one slot only (`CROSSSLOT` otherwise), so there a lane
/// serves one slot: checks of the same slot share calls, made on the first check of that slot, and there are
/// at most 16,384 lanes.
final class RateLimitBatcher: Sendable {
    private let lanes: [RateLimitLane]
    private let turn = Atomic<UInt>(0)
    private let client: RedisClient
    private let maximumBatchSize: Int
    private let slotLanes = Mutex<[Int: RateLimitLane]>([:])

    init(client: RedisClient, laneCount: Int, maximumBatchSize: Int) {
        self.client = client
        self.maximumBatchSize = maximumBatchSize
        lanes = (0..<max(1, laneCount)).map { _ in
            RateLimitLane(client: client, eventLoop: client.eventLoopGroup.next(),
                          lane: RateLimitBatchLane(maximumBatchSize: maximumBatchSize))
        }
    }

    /// Checks waiting for a call in every lane (not those in flight).
    var waitingCount: Int {
        let slotLanes = slotLanes.withLock { Array($0.values) }
        return (lanes + slotLanes).reduce(0) { $0 + $1.waitingCount }
    }

    /// Decides `check` in the next call of its lane and returns its integers from the script's reply.
    func decide(_ check: SlidingWindowCheck, deadline: ContinuousClock.Instant) async throws -> [Int64] {
        try await lane(for: check).decide(check, deadline: deadline)
    }

    private func lane(for check: SlidingWindowCheck) -> RateLimitLane {
        guard client.isCluster else {
            let turn = turn.wrappingAdd(1, ordering: .relaxed).oldValue
            return lanes[Int(turn % UInt(lanes.count))]
        }
        let slot = ClusterKeySlot.slot(of: check.hash.bytes)
        return slotLanes.withLock { lanes in
            if let lane = lanes[slot] { return lane }
            let lane = RateLimitLane(client: client, eventLoop: client.eventLoopGroup.next(),
                                     lane: RateLimitBatchLane(maximumBatchSize: maximumBatchSize))
            lanes[slot] = lane
            return lane
        }
    }
}
