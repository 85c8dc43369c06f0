import FXSupport

/// An API key as clients send it: `fx_` and 32 random bytes in base64url without padding (46 characters).
///
/// Only its SHA-256 is ever stored or looked up, so the key itself stays with the client.
public struct APIKey: Sendable {
    public static let prefix = "fx_"
    public static let randomByteCount = 32
    /// 32 bytes are 256 bits, which base64url spreads over 43 characters (the last one carries 4 bits).
    static let encodedLength = 43

    public let text: String

    /// A new key from the system CSPRNG: on Linux `SystemRandomNumberGenerator` reads `getrandom(2)`,
    /// on Darwin `arc4random_buf`.
    public static func generate() -> APIKey {
        var random = SystemRandomNumberGenerator()
        let bytes = (0..<randomByteCount).map { _ in UInt8.random(in: .min ... .max, using: &random) }
        return APIKey(validText: prefix + Base64URL.encode(bytes))
    }

    /// The key if `text` has exactly the form `generate()` produces; `nil` otherwise, without any lookup.
    public init?(_ text: some StringProtocol) {
        let utf8 = text.utf8
        guard utf8.count == Self.prefix.utf8.count + Self.encodedLength, text.hasPrefix(Self.prefix),
              Base64URL.isCanonical(utf8.dropFirst(Self.prefix.utf8.count), byteCount: Self.randomByteCount)
        else { return nil }
        self.text = String(text)
    }

    private init(validText: String) {
        self.text = validText
    }

    /// What the key store holds instead of the key.
    public var hash: APIKeyHash {
        APIKeyHash(bytes: MessageDigest.sha256(text.utf8))
    }
}

extension APIKey: CustomStringConvertible {
    /// Never the key itself, so that interpolating a key into a log message cannot leak it.
    public var description: String { "APIKey(redacted)" }
}
