/// What the admin routes need; without it (no `DATABASE_URL` or no `FX_ADMIN_TOKEN`) they do not exist.
public struct AdminAccess: Sendable {
    public var service: AdminRatesService
    public var token: String

    public init(service: AdminRatesService, token: String) {
        self.service = service
        self.token = token
    }
}
