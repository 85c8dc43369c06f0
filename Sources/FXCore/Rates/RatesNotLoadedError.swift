/// Rates are read from a history of PostgreSQL that has not been loaded yet: the database has been
/// unreachable since the replica started.
public struct RatesNotLoadedError: Error, CustomStringConvertible {
    public init() {}

    public var description: String { "rates have not been loaded from PostgreSQL yet" }
}
