/// A body in the health check response format (draft-inadarei-api-health-check).
struct HealthResponse: Encodable {
    enum Status: String, Encodable {
        case pass, warn, fail
    }

    struct Check: Encodable {
        let status: Status
        var output: String?
    }

    let status: Status
    var checks: [String: [Check]]?
}
