import NIOCore
import Synchronization

/// The thin, acting side of one `RateLimitBatchLane`: it holds the state machine under a lock, keeps each
/// waiting caller's continuation inside it, sends the calls and arms the timers the state machine asks for.
///
/// No task of its own is started: the first call of an idle lane is sent from the caller that found it idle,
/// and each following one from the completion callback of the call before. Every continuation sits in exactly
/// one place (the queue, or the one call that carries it) and is taken from there once, under the lock, so it
/// is resumed exactly once. A caller whose task is cancelled is not taken out: its check ends with its call or
/// its deadline, like any other, and cannot hang the lane.
final class RateLimitLane: Sendable {
    /// A caller waiting for its check's integers from the script's reply.
    struct Waiter: Sendable {
        let check: SlidingWindowCheck
        /// Unchecked: the lane resumes each exactly once (see above), and a checked one costs an allocation
        /// per request.
        let continuation: UnsafeContinuation<[Int64], any Error>
    }

    private typealias Lane = RateLimitBatchLane<Waiter>

    private let lane: Mutex<Lane>
    private let client: RedisClient
    /// Where the timers for waiting checks run.
    private let eventLoop: any EventLoop

    init(client: RedisClient, eventLoop: any EventLoop, lane: RateLimitBatchLane<Waiter> = .init()) {
        self.client = client
        self.eventLoop = eventLoop
        self.lane = Mutex(lane)
    }

    /// Checks waiting for a call (not those in flight).
    var waitingCount: Int {
        lane.withLock { $0.waitingCount }
    }

    /// Decides `check` in the lane's next call and returns its integers from the reply; fails with
    /// `RedisError.timeout` at `deadline` (or slightly before: a call ends at the earliest deadline it carries).
    func decide(_ check: SlidingWindowCheck, deadline: ContinuousClock.Instant) async throws -> [Int64] {
        try await withUnsafeThrowingContinuation { continuation in
            switch lane.withLock({ $0.enqueue(Waiter(check: check, continuation: continuation), deadline: deadline) }) {
            case .send(let batch):
                send(batch)
            case .queued(let timer):
                if let timer { arm(timer) }
            case .reject(let waiter):
                waiter.continuation.resume(throwing: RedisError.overloaded)
            }
        }
    }

    /// Sends `batch` as one script call; when it completes, the lane's next call follows. With no connection
    /// up, the call fails at once with `connectionUnavailable` and the lane moves on just the same.
    private func send(_ batch: Lane.Batch?) {
        var batch = batch
        while let call = batch {
            let checks = call.checks.map(\.check)
            let reply = client.evalSHAOnActiveConnection(
                SlidingWindowScript.script, keys: checks.map(\.hash), args: checks.flatMap(\.arguments),
                deadline: call.deadline)
            guard let reply else {
                Self.deliver(.failure(RedisError.connectionUnavailable), to: call.checks)
                batch = callFinished()
                continue
            }
            reply.whenComplete { result in
                Self.deliver(result, to: call.checks)
                self.send(self.callFinished())
            }
            return
        }
    }

    /// Reports the call in flight as over; fails the checks that expired while waiting and returns the next call.
    private func callFinished() -> Lane.Batch? {
        let progress = lane.withLock { $0.callFinished(now: .now) }
        Self.expire(progress.expired)
        return progress.next
    }

    private func arm(_ timer: Lane.Timer) {
        eventLoop.scheduleTask(in: TimeAmount(timer.deadline - .now)) {
            let progress = self.lane.withLock { $0.timerFired(timer, now: .now) }
            Self.expire(progress.expired)
            if let next = progress.arming { self.arm(next) }
        }
    }

    private static func expire(_ waiters: [Waiter]) {
        for waiter in waiters {
            waiter.continuation.resume(throwing: RedisError.timeout)
        }
    }

    /// Hands each waiter of a call its part of the reply, or the call's error.
    private static func deliver(_ result: Result<RESPValue, any Error>, to waiters: [Waiter]) {
        do {
            let replies = try SlidingWindowScript.split(result.get(), windowCounts: waiters.map(\.check.windowCount))
            for (waiter, reply) in zip(waiters, replies) {
                waiter.continuation.resume(returning: reply)
            }
        } catch {
            for waiter in waiters {
                waiter.continuation.resume(throwing: error)
            }
        }
    }
}
