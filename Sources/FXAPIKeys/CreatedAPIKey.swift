import FXCore
import Foundation

/// A key just created: the only time the key itself exists outside the client.
public struct CreatedAPIKey: Sendable {
    public let id: Int64
    public let tenant: String
    public let limits: LimitPolicy?
    public let expiresAt: Date?
    public let key: APIKey
}
