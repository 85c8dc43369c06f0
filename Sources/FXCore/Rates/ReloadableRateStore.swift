import Synchronization

/// A `RateStore` that answers from a whole history held in memory and refilled from a
/// `RateHistorySource` (PostgreSQL, or the Redis snapshot in front of it), so reads never wait on the
/// source and keep working while it is down.
///
/// `reload()` replaces the history; until the first one succeeds every read throws `RatesNotLoadedError`.
public final class ReloadableRateStore: RateStore {
    private struct State {
        var history: RateHistory?
        /// The ticket of the reload that produced `history`.
        var ticket = 0
        var nextTicket = 1
        /// Counts installs, so a patch built outside the lock knows whether its base is still current.
        var version = 0
    }

    private let loader: any RateHistorySource
    private let state = Mutex(State())

    public init(loader: any RateHistorySource) {
        self.loader = loader
    }

    /// Loads the history and installs it, unless a reload that started later has already installed
    /// a newer one: a reload that began after a commit sees that commit, an earlier one may not.
    public func reload() async throws {
        let ticket = takeTicket()
        let history = try await loader.load(day: nil)
        state.withLock { state in
            guard ticket > state.ticket else { return }
            state.history = history
            state.ticket = ticket
            state.version += 1
        }
    }

    /// Reloads only the observation of `day`, after a write to it: it reads one date where a whole reload
    /// reads every rate again. Before the first whole load there is nothing to patch.
    /// It also takes a ticket, so a whole reload that began before the write cannot install its older view.
    public func reload(day: Day) async throws {
        let ticket = takeTicket()
        // No table left means the day's rates were deleted: the patch drops the day.
        let table = try await loader.load(day: day).tables.first
        // The patched copy is built outside the lock, so reads are not held up while it is; a whole
        // reload that lands meanwhile is patched again.
        while true {
            let (base, baseVersion) = state.withLock { ($0.history, $0.version) }
            guard let base else { return }
            let patched = base.replacing(day: day, with: table)
            let installed = state.withLock { state in
                guard state.version == baseVersion else { return false }
                state.history = patched
                state.ticket = max(state.ticket, ticket)
                state.version += 1
                return true
            }
            if installed { return }
        }
    }

    private func takeTicket() -> Int {
        state.withLock { state in
            defer { state.nextTicket += 1 }
            return state.nextTicket
        }
    }

    public func observation(onOrBefore day: Day?, notBefore earliest: Day?, quoting required: [CurrencyCode])
        throws -> RateTable?
    {
        try history().latest(onOrBefore: day, notBefore: earliest, quoting: required)
    }

    public func observations(from start: Day, through end: Day) throws -> [RateTable] {
        Array(try history().tables(from: start, through: end))
    }

    public func coverage() throws -> [CurrencyCode: ClosedRange<Day>] {
        try history().coverage
    }

    private func history() throws(RatesNotLoadedError) -> RateHistory {
        guard let history = state.withLock({ $0.history }) else { throw RatesNotLoadedError() }
        return history
    }
}
