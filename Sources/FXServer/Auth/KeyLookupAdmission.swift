import Synchronization

/// Bounds the key-store queries of one replica: at most `concurrency` run at once, so lookups never
/// hold more than that many of the pool's connections, and at most `queueLimit` wait; one more fails at
/// once instead of queueing without bound.
public final class KeyLookupAdmission: Sendable {
    /// Too many lookups wait already; the request gets a 503 and may retry.
    public struct Full: Error, CustomStringConvertible {
        public var description: String { "too many API key lookups are waiting" }
    }

    private struct State {
        var running = 0
        var waiting: [CheckedContinuation<Bool, Never>] = []
    }

    private let concurrency: Int
    private let queueLimit: Int
    private let state = Mutex(State())

    /// The pool holds 10 connections; 4 for lookups leaves the rest to reloads and admin writes.
    public init(concurrency: Int = 4, queueLimit: Int = 64) {
        self.concurrency = max(1, concurrency)
        self.queueLimit = max(0, queueLimit)
    }

    /// Runs `body` once a slot is free.
    /// - Throws: ``Full`` without running `body` when `queueLimit` lookups wait already; what `body` throws.
    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        try await enter()
        defer { leave() }
        return try await body()
    }

    private func enter() async throws(Full) {
        let admitted: Bool = await withCheckedContinuation { continuation in
            let answer: Bool? = state.withLock { state in
                if state.running < concurrency {
                    state.running += 1
                    return true
                }
                guard state.waiting.count < queueLimit else { return false }
                state.waiting.append(continuation)
                return nil
            }
            if let answer { continuation.resume(returning: answer) }
        }
        if !admitted { throw Full() }
    }

    /// Hands the slot to the longest waiter, or frees it.
    private func leave() {
        let next = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            guard !state.waiting.isEmpty else {
                state.running -= 1
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume(returning: true)
    }
}
