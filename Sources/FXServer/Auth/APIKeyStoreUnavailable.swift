/// The key store failed while looking up a key that was not cached; the request gets a 503 problem.
public struct APIKeyStoreUnavailable: Error, CustomStringConvertible {
    public let underlying: any Error

    public var description: String { "API key store unavailable: \(underlying)" }
}
