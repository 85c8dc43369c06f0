import NIOCore

/// One lane of batched rate-limit checks, as a pure state machine: at most one script call is in flight, and
/// the checks that arrive meanwhile wait, bounded, to leave together as the lane's next call.
///
/// A batch forms only from what is already waiting, with no delay timer: a check that finds the lane idle goes
/// out at once, alone. The lane decides and never acts: its driver (`RateLimitLane`) keeps it under a lock,
/// carries out the actions it returns (send, fail, arm a timer) outside the lock and reports back when a call
/// completed or a timer fired. Time is passed in, so it is tested without a network or a clock.
struct RateLimitBatchLane<Check> {
    typealias Instant = ContinuousClock.Instant

    /// Checks sent as one script call, in arrival order.
    struct Batch {
        var checks: [Check]
        /// The earliest deadline of the checks, where the call's timeout ends: a check may fail slightly before
        /// its own deadline, never after it.
        var deadline: Instant
    }

    /// A timer the driver is to arm: at `deadline` it reports `timerFired`, so that waiting checks fail when
    /// their deadline passes even while the call ahead of them takes longer. Only the latest one counts.
    struct Timer: Equatable {
        let generation: UInt64
        let deadline: Instant
    }

    enum EnqueueAction {
        /// The lane was idle: send the check at once, alone.
        case send(Batch)
        /// The check waits for the call in flight; arm the timer if there is one.
        case queued(arming: Timer?)
        /// The queue is full: fail the check at once, unsent.
        case reject(Check)
    }

    /// What follows a completed call or a fired timer.
    struct Progress {
        /// Waiting checks whose deadline passed: fail them with `RedisError.timeout`; they were never sent.
        var expired: [Check] = []
        /// The lane's next call; nil leaves the lane idle (or, after a timer, with its call still in flight).
        var next: Batch?
        var arming: Timer?
    }

    fileprivate struct Waiting {
        let check: Check
        let deadline: Instant
    }

    static var defaultMaximumBatchSize: Int { 128 }
    static var defaultQueueCapacity: Int { 4_096 }

    /// At most this many checks go in one call; more wait for the call after.
    let maximumBatchSize: Int
    /// At most this many checks wait; one more is rejected.
    let queueCapacity: Int

    private var waiting = CircularBuffer<Waiting>()
    private var isCallInFlight = false
    /// The timer last handed out, until it fires; every waiting check's deadline is at or after it.
    private var armed: Timer?
    private var timerGenerations: UInt64 = 0

    init(maximumBatchSize: Int = defaultMaximumBatchSize, queueCapacity: Int = defaultQueueCapacity) {
        self.maximumBatchSize = max(1, maximumBatchSize)
        self.queueCapacity = max(0, queueCapacity)
    }

    /// Checks waiting for a call (not those in flight).
    var waitingCount: Int { waiting.count }

    /// A check arrives, to be decided by `deadline`.
    mutating func enqueue(_ check: Check, deadline: Instant) -> EnqueueAction {
        guard isCallInFlight else {
            isCallInFlight = true
            return .send(Batch(checks: [check], deadline: deadline))
        }
        guard waiting.count < queueCapacity else { return .reject(check) }
        waiting.append(Waiting(check: check, deadline: deadline))
        if let armed, armed.deadline <= deadline { return .queued(arming: nil) }
        return .queued(arming: arm(at: deadline))
    }

    /// The call in flight completed, whatever its outcome: the waiting checks in arrival order, up to
    /// `maximumBatchSize`, form the next call; those whose deadline passed on the way fail instead.
    mutating func callFinished(now: Instant) -> Progress {
        var progress = Progress()
        var checks: [Check] = []
        var earliest: Instant?
        while checks.count < maximumBatchSize, let first = waiting.popFirst() {
            if first.deadline <= now {
                progress.expired.append(first.check)
            } else {
                checks.append(first.check)
                earliest = min(earliest ?? first.deadline, first.deadline)
            }
        }
        // Checks left waiting keep the armed timer: their deadlines are at or after it.
        if let earliest {
            progress.next = Batch(checks: checks, deadline: earliest)
        } else {
            isCallInFlight = false
        }
        return progress
    }

    /// A timer armed by this lane fired: waiting checks whose deadline passed fail, and the timer is armed
    /// again for the earliest of the rest. A timer that was superseded does nothing.
    mutating func timerFired(_ timer: Timer, now: Instant) -> Progress {
        guard timer == armed else { return Progress() }
        armed = nil
        var progress = Progress()
        var kept = CircularBuffer<Waiting>(initialCapacity: waiting.count)
        var earliest: Instant?
        for entry in waiting {
            if entry.deadline <= now {
                progress.expired.append(entry.check)
            } else {
                kept.append(entry)
                earliest = min(earliest ?? entry.deadline, entry.deadline)
            }
        }
        waiting = kept
        progress.arming = earliest.map { arm(at: $0) }
        return progress
    }

    private mutating func arm(at deadline: Instant) -> Timer {
        timerGenerations &+= 1
        let timer = Timer(generation: timerGenerations, deadline: deadline)
        armed = timer
        return timer
    }
}

extension RateLimitBatchLane: Sendable where Check: Sendable {}
extension RateLimitBatchLane.Batch: Sendable where Check: Sendable {}
extension RateLimitBatchLane.Timer: Sendable {}
extension RateLimitBatchLane.Waiting: Sendable where Check: Sendable {}
