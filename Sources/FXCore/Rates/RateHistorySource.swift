/// Where a `ReloadableRateStore` loads its history from: PostgreSQL itself, or the snapshot in Redis in
/// front of it.
public protocol RateHistorySource: Sendable {
    /// The whole history, or only the observation of `day`.
    func load(day: Day?) async throws -> RateHistory

    /// Changes whenever a rate is written or removed; cheap enough to poll.
    func fingerprint() async throws -> String
}
