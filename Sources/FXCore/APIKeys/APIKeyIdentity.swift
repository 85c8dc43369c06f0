/// Whom an active API key belongs to, and the limits it carries.
public struct APIKeyIdentity: Sendable, Hashable {
    public let keyID: Int64
    public let tenant: String
    /// `nil` when the key has no limits of its own and the service's defaults apply.
    public let limits: LimitPolicy?

    public init(keyID: Int64, tenant: String, limits: LimitPolicy?) {
        self.keyID = keyID
        self.tenant = tenant
        self.limits = limits
    }
}
