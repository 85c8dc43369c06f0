/// The SHA-256 of an API key: the only form in which fxrates stores or looks up a key.
public struct APIKeyHash: Sendable, Hashable {
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }
}
