import FXCore
import Synchronization

/// The rate reloads invalidations asked for and no reload has done yet: the one piece of work that waits
/// while a reload runs. Every request merges into it, so a flood of invalidations (`rates:*` or dated ones)
/// costs the reload running now and one more, not a reload per message; and it stays small, so a flood
/// cannot grow it either.
struct PendingReloads: Sendable, Equatable {
    enum Work: Sendable, Equatable {
        case everything
        /// Only these observation dates, in order.
        case days([Day])
    }

    /// More dates than this waiting reload the whole history instead: one query, bounded memory.
    static let maximumDays = 16

    private var everything = false
    private var days: Set<Day> = []

    var isEmpty: Bool { !everything && days.isEmpty }

    mutating func requestEverything() {
        everything = true
        days = []
    }

    mutating func request(_ day: Day) {
        guard !everything else { return }
        days.insert(day)
        if days.count > Self.maximumDays { requestEverything() }
    }

    /// The work to do now, leaving nothing pending; nil when nothing is.
    mutating func take() -> Work? {
        defer { self = PendingReloads() }
        if everything { return .everything }
        return days.isEmpty ? nil : .days(days.sorted())
    }
}

/// `PendingReloads` shared between the task that reads messages and the one that reloads.
final class SharedPendingReloads: Sendable {
    private let state = Mutex(PendingReloads())

    func update(_ change: (inout PendingReloads) -> Void) {
        state.withLock { change(&$0) }
    }

    func take() -> PendingReloads.Work? {
        state.withLock { $0.take() }
    }
}
