import Foundation

/// Whom an active API key belongs to, and the limits it carries.
public struct APIKeyIdentity: Sendable, Hashable {
    public let keyID: Int64
    public let tenant: String
    /// `nil` when the key has no limits of its own and the service's defaults apply.
    public let limits: LimitPolicy?
    /// When the key stops working; nil when it does not expire.
    public let expiresAt: Date?

    public init(keyID: Int64, tenant: String, limits: LimitPolicy?, expiresAt: Date? = nil) {
        self.keyID = keyID
        self.tenant = tenant
        self.limits = limits
        self.expiresAt = expiresAt
    }

    /// Whether the key still works at `date`.
    public func isValid(at date: Date) -> Bool {
        expiresAt.map { date < $0 } ?? true
    }
}
