import FXCore
import Foundation
import Synchronization
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Anonymous conversions sent by a few workers, one after another each, until stopped: the load under which
/// the cluster tests move slots and kill primaries. Every status is kept, and a test can await progress.
final class ClusterLoad: Sendable {
    private struct State {
        var statuses: [Int] = []
        var waiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state = Mutex(State())
    private let isStopped = Atomic(false)

    var all: [Int] { state.withLock { $0.statuses } }

    /// Runs `workers` loops against `port` until `stop()`; a request that gets no answer counts as status 0.
    func run(port: Int, workers: Int = 4) async {
        await withDiscardingTaskGroup { group in
            for _ in 0..<workers {
                group.addTask {
                    while !self.isStopped.load(ordering: .relaxed) {
                        let status = (try? await Self.status(port: port)) ?? 0
                        self.record(status)
                    }
                }
            }
        }
    }

    func stop() {
        isStopped.store(true, ordering: .relaxed)
    }

    /// Waits until `more` requests beyond those answered now have been answered (the caller bounds the wait).
    func waitForProgress(_ more: Int) async {
        await withCheckedContinuation { continuation in
            let reached = state.withLock { state in
                guard more > 0 else { return true }
                state.waiters.append((state.statuses.count + more, continuation))
                return false
            }
            if reached { continuation.resume() }
        }
    }

    private func record(_ status: Int) {
        let ready = state.withLock { state in
            state.statuses.append(status)
            let count = state.statuses.count
            let ready = state.waiters.filter { $0.count <= count }
            state.waiters.removeAll { $0.count <= count }
            return ready
        }
        for waiter in ready { waiter.continuation.resume() }
    }

    static func status(port: Int, authorization: String? = nil) async throws -> Int {
        guard let url = URL(string: "http://127.0.0.1:\(port)/v1/convert?from=EUR&to=USD&amount=1") else { return 0 }
        var request = URLRequest(url: url)
        request.timeoutInterval = 30
        if let authorization { request.setValue(authorization, forHTTPHeaderField: "Authorization") }
        let (_, response) = try await URLSession.shared.data(for: request)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }
}

/// The shared limiter with a record of when each of its checks ended and whether it succeeded: how a test sees
/// whether Redis decided (and when it decided again after a failover), not the fallback.
final class ObservedLimiter: RateLimiter {
    struct Outcome: Sendable {
        let start: ContinuousClock.Instant
        let end: ContinuousClock.Instant
        let succeeded: Bool
    }

    private let limiter: any RateLimiter
    private let outcomes = Mutex<[Outcome]>([])
    /// Every outcome as it happens, for one consumer that awaits a particular one.
    let stream: AsyncStream<Outcome>
    private let continuation: AsyncStream<Outcome>.Continuation

    init(_ limiter: any RateLimiter) {
        self.limiter = limiter
        (stream, continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(100_000))
    }

    private func record(_ outcome: Outcome) {
        outcomes.withLock { $0.append(outcome) }
        continuation.yield(outcome)
    }

    var all: [Outcome] { outcomes.withLock { $0 } }

    func acquire(key: String, windows: [RateLimitWindow]) async throws -> RateLimitDecision {
        let start = ContinuousClock.now
        do {
            let decision = try await limiter.acquire(key: key, windows: windows)
            record(Outcome(start: start, end: .now, succeeded: true))
            return decision
        } catch {
            record(Outcome(start: start, end: .now, succeeded: false))
            throw error
        }
    }
}
