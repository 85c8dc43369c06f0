import FXSupport

/// A Lua script with the SHA-1 that Redis uses to name it.
public struct RedisScript: Sendable, Hashable {
    public let source: String
    /// Lowercase hex SHA-1 of `source`, as `SCRIPT LOAD` returns it.
    public let sha1: String

    public init(_ source: String) {
        self.source = source
        self.sha1 = MessageDigest.sha1(source.utf8).hexString
    }
}
