import Hummingbird

extension Problem {
    static let apiKeyRequired = unauthorized(
        "An API key is required: send Authorization: Bearer <key> or X-API-Key: <key>")

    static func invalidAPIKey(_ detail: String) -> Problem {
        unauthorized(detail)
    }

    static let keyStoreUnavailable = Problem(
        status: .serviceUnavailable, detail: "API keys cannot be checked right now; retry shortly")

    private static func unauthorized(_ detail: String) -> Problem {
        var problem = Problem(status: .unauthorized, detail: detail)
        problem.headers[.wwwAuthenticate] = "Bearer"
        return problem
    }
}
