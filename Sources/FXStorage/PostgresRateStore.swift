import FXCore
import Synchronization

/// A `RateStore` over PostgreSQL that answers from an in-memory snapshot of the whole history,
/// so reads never wait on the database and keep working while it is down.
///
/// `reload()` replaces the snapshot; until the first one succeeds every read throws `RatesNotLoadedError`.
public final class PostgresRateStore: RateStore {
    private struct State {
        var history: RateHistory?
        /// The ticket of the reload that produced `history`.
        var ticket = 0
        var nextTicket = 1
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
        }
    }

    /// Reloads only the observation of `day`, after a write to it: cheap, where a whole reload parses
    /// every rate again. Before the first whole load there is nothing to patch.
    /// It also takes a ticket, so a whole reload that began before the write cannot install its older view.
    public func reload(day: Day) async throws {
        let ticket = takeTicket()
        guard let table = try await loader.load(day: day).tables.first else { return }
        state.withLock { state in
            state.history = state.history?.replacing(table)
            state.ticket = max(state.ticket, ticket)
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
        try snapshot().latest(onOrBefore: day, notBefore: earliest, quoting: required)
    }

    public func observations(from start: Day, through end: Day) throws -> [RateTable] {
        Array(try snapshot().tables(from: start, through: end))
    }

    public func coverage() throws -> [CurrencyCode: ClosedRange<Day>] {
        try snapshot().coverage
    }

    private func snapshot() throws(RatesNotLoadedError) -> RateHistory {
        guard let history = state.withLock({ $0.history }) else { throw RatesNotLoadedError() }
        return history
    }
}
