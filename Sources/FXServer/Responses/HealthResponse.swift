/// Bodies in the health check response format (draft-inadarei-api-health-check).
enum HealthStatus: String {
    case pass, warn, fail
}

struct HealthCheck {
    let name: String
    let status: HealthStatus
    var output: String?
}

func healthJSON(_ status: HealthStatus, checks: [HealthCheck]? = nil) -> JSONValue {
    var members: [(String, JSONValue)] = [("status", .string(status.rawValue))]
    if let checks {
        members.append(("checks", .object(checks.map { check in
            var entry: [(String, JSONValue)] = [("status", .string(check.status.rawValue))]
            if let output = check.output { entry.append(("output", .string(output))) }
            return (check.name, .array([.object(entry)]))
        })))
    }
    return .object(members)
}
