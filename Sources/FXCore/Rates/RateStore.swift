/// Where the conversion service reads rates from. The service never knows which store it has:
/// the embedded ECB file in memory, or PostgreSQL behind caches.
public protocol RateStore: Sendable {
    /// The latest observation dated on or before `day` (the latest of all when nil), not before `earliest`,
    /// that quotes every currency in `required`.
    func observation(onOrBefore day: Day?, notBefore earliest: Day?, quoting required: [CurrencyCode]) async throws
        -> RateTable?

    /// Every observation dated from `start` through `end`, in date order.
    func observations(from start: Day, through end: Day) async throws -> [RateTable]

    /// The first and last observation date of every currency that has rates.
    func coverage() async throws -> [CurrencyCode: ClosedRange<Day>]
}
