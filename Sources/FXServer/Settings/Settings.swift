import FXCore
import FXRedis
import FXStorage
import Logging

/// Everything the service reads from its environment, read and validated once at startup.
public struct Settings: Sendable, Equatable {
    public enum LogFormat: String, Sendable {
        case json
        case text
    }

    public var host: String = "127.0.0.1"
    public var port: Int = 8080
    /// Serve `/metrics` on this port only (and not on `port`), so the API's Service never exposes it;
    /// nil serves it on `port`.
    public var metricsPort: Int?
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
    /// The bearer tokens of the admin routes: one, or two while it is rotated; none turns the routes off.
    public var adminTokens: [String] = []
    /// `redis[s]://[user:password@]host:port[/db]`,
    /// `redis[s]+sentinel://[user:password@]host:port[,host:port...]/MASTERNAME[/db]` or
    /// `redis[s]+cluster://[user:password@]host:port[,host:port...]`; nil keeps rate limits in this process alone.
    public var redisURL: String?
    /// Authenticates to the sentinels of a `redis+sentinel` URL (the URL's credentials are the data nodes').
    public var redisSentinelPassword: String?
    /// The CA, client certificate and key files of a `rediss` URL; none uses the system's roots, no client certificate.
    public var redisTLS = RedisTLS()
    /// The timeout of each Redis command.
    public var redisTimeout: Duration = .milliseconds(50)
    /// Most rate-limit checks one script call carries; 1 turns batching off (to measure what it saves).
    public var redisBatchSize = RedisRateLimiter.largestBatchSize
    /// Limits per client address for callers without an API key.
    public var anonymousLimits = try! LimitPolicy(parsing: "600/minute;100000/day")
    /// Limits of API keys whose row has none.
    public var apiKeyDefaultLimits = try! LimitPolicy(parsing: "600/minute;100000/day")
    /// Proxies whose `X-Forwarded-For` is believed; none by default.
    public var trustedProxies = TrustedProxies.none
    /// IPv6 clients count per network of this many bits: one host usually holds a whole /64.
    public var ipv6PrefixLength = 64
    /// What rate limiting does while Redis is unreachable.
    public var rateLimitFallback = RateLimitFallback.local
    /// How many replicas share the limits: the local fallback divides every quota by it.
    public var expectedReplicas = 1
    /// Browser origins that may read the GET routes (CORS); none by default.
    public var corsOrigins = CORSOrigins.none
    /// How long a request head may take to arrive before the connection is closed.
    public var headerTimeoutSeconds = 10
    /// How long a kept-alive connection may sit without a request; longer than the load balancer's own.
    public var idleTimeoutSeconds = 75
    /// Open connections past which new ones are answered 503 (the probes excepted) and closed.
    public var maxConnections = 4096
    /// OpenTelemetry traces over OTLP/HTTP; nil (no endpoint, or `OTEL_SDK_DISABLED=true`) keeps tracing off.
    public var tracing: TracingSettings?

    public init() {}

    /// Every environment variable `init(environment:)` reads, in the order it reads them.
    public static var variables: [String] {
        let reader = EnvironmentReader([:])
        _ = try? Settings(reader)
        return reader.variables
    }

    public init(environment: [String: String]) throws(SettingsError) {
        try self.init(EnvironmentReader(environment))
    }

    private init(_ reader: EnvironmentReader) throws(SettingsError) {
        host = try reader.value("FX_HOST", expected: "a host name or IP address", default: host) { text in
            text.isEmpty || text.contains(where: \.isWhitespace) ? nil : text
        }
        port = try reader.value("FX_PORT", expected: "an integer from 0 to 65535", default: port) { text in
            Int(text).flatMap { (0...65_535).contains($0) ? $0 : nil }
        }
        let apiPort = port
        metricsPort = try reader.value("FX_METRICS_PORT", expected: "an integer from 1 to 65535 other than FX_PORT",
                                       default: Int?.none) { text -> Int?? in
            guard let port = Int(text), (1...65_535).contains(port), port != apiPort else { return nil }
            return port
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
            "DATABASE_URL", expected: "a libpq connection string or postgresql:// URI, with libpq (libpq.so.5) installed", secret: true,
            isValid: RatesDatabase.isValidConnectionString)
        autoMigrate = try reader.value("FX_MIGRATE", expected: "auto, or unset", default: false) { text in
            text == "auto" ? true : nil
        }
        adminTokens = try reader.value(
            "FX_ADMIN_TOKEN", expected: "a token of visible ASCII characters other than a comma, or two joined by a comma",
            default: adminTokens, secret: true
        ) { text in
            let tokens = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let valid = (1...2).contains(tokens.count) && tokens.allSatisfy { token in
                !token.isEmpty && token.utf8.allSatisfy { (0x21...0x7E).contains($0) }
            }
            return valid ? tokens : nil
        }
        redisURL = try reader.optionalText(
            "REDIS_URL",
            expected: "redis[s]://[user:password@]host:port[/db], "
                + "redis[s]+sentinel://[user:password@]host:port[,host:port...]/MASTERNAME[/db] "
                + "or redis[s]+cluster://[user:password@]host:port[,host:port...]",
            secret: true
        ) { (try? RedisConfiguration(url: $0)) != nil }
        redisSentinelPassword = try reader.optionalText(
            "FX_REDIS_SENTINEL_PASSWORD", expected: "the sentinels' password: at most 512 bytes, no control characters",
            secret: true
        ) { text in text.utf8.count <= 512 && !text.unicodeScalars.contains { $0.properties.generalCategory == .control } }
        redisTLS = try Self.redisTLS(reader)
        redisTimeout = try reader.value("FX_REDIS_TIMEOUT_MS", expected: "an integer from 1 to 60000",
                                        default: redisTimeout) { text in
            Int(text).flatMap { (1...60_000).contains($0) ? .milliseconds($0) : nil }
        }
        redisBatchSize = try reader.value("FX_REDIS_BATCH_SIZE", expected: "an integer from 1 to \(redisBatchSize)",
                                          default: redisBatchSize) { [redisBatchSize] text in
            Int(text).flatMap { (1...redisBatchSize).contains($0) ? $0 : nil }
        }
        anonymousLimits = try reader.value("FX_ANON_LIMITS", expected: "limits such as 60/minute;1000/day (counts 1 to 1000000000, each unit once)",
                                           default: anonymousLimits) { try? LimitPolicy(parsing: $0) }
        apiKeyDefaultLimits = try reader.value(
            "FX_KEY_DEFAULT_LIMITS", expected: "limits such as 600/minute;100000/day (counts 1 to 1000000000, each unit once)",
            default: apiKeyDefaultLimits
        ) { try? LimitPolicy(parsing: $0) }
        trustedProxies = try reader.value("FX_TRUSTED_PROXIES", expected: "comma-separated CIDRs such as 10.0.0.0/8",
                                          default: trustedProxies) { TrustedProxies(parsing: $0) }
        ipv6PrefixLength = try reader.value("FX_IPV6_PREFIX", expected: "an integer from 32 to 128",
                                            default: ipv6PrefixLength) { text in
            Int(text).flatMap { (32...128).contains($0) ? $0 : nil }
        }
        rateLimitFallback = try reader.value("FX_RATE_LIMIT_FALLBACK", expected: "local, open or closed",
                                             default: rateLimitFallback) { RateLimitFallback(rawValue: $0) }
        expectedReplicas = try reader.value("FX_EXPECTED_REPLICAS", expected: "an integer from 1 to 10000",
                                            default: expectedReplicas) { text in
            Int(text).flatMap { (1...10_000).contains($0) ? $0 : nil }
        }
        corsOrigins = try reader.value(
            "FX_CORS_ORIGINS", expected: "* or comma-separated origins such as https://app.example.com (at most 64)",
            default: corsOrigins) { CORSOrigins(parsing: $0) }
        headerTimeoutSeconds = try reader.integer("FX_HEADER_TIMEOUT_SECONDS", in: 1...300, default: headerTimeoutSeconds)
        idleTimeoutSeconds = try reader.integer("FX_IDLE_TIMEOUT_SECONDS", in: 1...3600, default: idleTimeoutSeconds)
        maxConnections = try reader.integer("FX_MAX_CONNECTIONS", in: 1...1_000_000, default: maxConnections)
        tracing = try TracingSettings.read(reader)
    }

    /// The TLS files, each readable and of its kind, the certificate and key only together and matching.
    private static func redisTLS(_ reader: EnvironmentReader) throws(SettingsError) -> RedisTLS {
        var tls = RedisTLS()
        tls.caFile = try reader.optionalText("FX_REDIS_TLS_CA_FILE", expected: "a readable PEM file of CA certificates") {
            (try? RedisTLS.checkCertificates(in: $0)) != nil
        }
        tls.certificateFile = try reader.optionalText(
            "FX_REDIS_TLS_CERT_FILE", expected: "a readable PEM file of the client certificate (chain)") {
            (try? RedisTLS.checkCertificates(in: $0)) != nil
        }
        tls.privateKeyFile = try reader.optionalText("FX_REDIS_TLS_KEY_FILE", expected: "a readable PEM private key file") {
            (try? RedisTLS.checkPrivateKey(in: $0)) != nil
        }
        switch (tls.certificateFile, tls.privateKeyFile) {
        case (nil, nil):
            break
        case (_?, nil):
            throw SettingsError(variable: "FX_REDIS_TLS_KEY_FILE", value: nil, expected: "set with FX_REDIS_TLS_CERT_FILE")
        case (nil, _?):
            throw SettingsError(variable: "FX_REDIS_TLS_CERT_FILE", value: nil, expected: "set with FX_REDIS_TLS_KEY_FILE")
        case (_?, let keyFile?):
            guard (try? tls.check()) != nil else {
                throw SettingsError(variable: "FX_REDIS_TLS_KEY_FILE", value: keyFile,
                                    expected: "the private key of the certificate in FX_REDIS_TLS_CERT_FILE")
            }
        }
        return tls
    }
}
