import FXPostgres
import Logging

/// Everything the service reads from its environment, read and validated once at startup.
public struct Settings: Sendable, Equatable {
    public enum LogFormat: String, Sendable {
        case json
        case text
    }

    public var host: String = "127.0.0.1"
    public var port: Int = 8080
    public var logLevel: Logger.Level = .info
    public var logFormat: LogFormat = .json
    /// How long a replica that was told to stop keeps serving while `/ready` already answers 503,
    /// so that the load balancer stops sending it traffic first.
    public var drainSeconds: Int = 0
    /// Refuse `/v1` requests that present no API key, instead of serving them anonymously.
    public var requireAPIKey: Bool = false
    /// A libpq connection string or URI; nil serves the embedded ECB history from memory.
    public var databaseURL: String?
    /// `FX_MIGRATE=auto`: `serve` applies pending migrations before it reads rates.
    public var autoMigrate = false
    /// The bearer token of the admin routes; nil turns them off.
    public var adminToken: String?

    public init() {}

    public init(environment: [String: String]) throws(SettingsError) {
        let reader = EnvironmentReader(environment)
        host = try reader.value("FX_HOST", expected: "a host name or IP address", default: host) { text in
            text.isEmpty || text.contains(where: \.isWhitespace) ? nil : text
        }
        port = try reader.value("FX_PORT", expected: "an integer from 0 to 65535", default: port) { text in
            Int(text).flatMap { (0...65_535).contains($0) ? $0 : nil }
        }
        logLevel = try reader.value(
            "FX_LOG_LEVEL", expected: "one of trace, debug, info, notice, warning, error, critical",
            default: logLevel) { Logger.Level(rawValue: $0.lowercased()) }
        logFormat = try reader.value("FX_LOG_FORMAT", expected: "json or text", default: logFormat) {
            LogFormat(rawValue: $0.lowercased())
        }
        drainSeconds = try reader.value("FX_DRAIN_SECONDS", expected: "an integer from 0 to 3600",
                                        default: drainSeconds) { text in
            Int(text).flatMap { (0...3600).contains($0) ? $0 : nil }
        }
        requireAPIKey = try reader.value("FX_REQUIRE_API_KEY", expected: "true, false, 1 or 0",
                                         default: requireAPIKey) { text in
            ["true": true, "1": true, "false": false, "0": false][text.lowercased()]
        }
        databaseURL = try reader.optionalText(
            "DATABASE_URL", expected: "a libpq connection string or postgresql:// URI", secret: true,
            isValid: PostgresClientConfiguration.isValidConnectionString)
        autoMigrate = try reader.value("FX_MIGRATE", expected: "auto, or unset", default: false) { text in
            text == "auto" ? true : nil
        }
        adminToken = try reader.optionalText(
            "FX_ADMIN_TOKEN", expected: "a token of visible ASCII characters", secret: true
        ) { text in
            text.utf8.allSatisfy { (0x21...0x7E).contains($0) }
        }
    }
}
