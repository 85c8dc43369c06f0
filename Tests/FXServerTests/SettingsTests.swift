import FXServer
import Logging
import Testing

@Suite("Settings from the environment")
struct SettingsTests {
    @Test func defaults() throws {
        let settings = try Settings(environment: [:])
        #expect(settings.host == "127.0.0.1")
        #expect(settings.port == 8080)
        #expect(settings.logLevel == .info)
        #expect(settings.logFormat == .json)
    }

    @Test func readsEveryVariable() throws {
        let settings = try Settings(environment: [
            "FX_HOST": "0.0.0.0", "FX_PORT": "9000", "FX_LOG_LEVEL": "DEBUG", "FX_LOG_FORMAT": "text",
            "FX_DRAIN_SECONDS": "15",
        ])
        #expect(settings.host == "0.0.0.0")
        #expect(settings.port == 9000)
        #expect(settings.logLevel == .debug)
        #expect(settings.logFormat == .text)
        #expect(settings.drainSeconds == 15)
    }

    @Test func connectionBoundsDefaultsAndBounds() throws {
        let defaults = try Settings(environment: [:])
        #expect(defaults.headerTimeoutSeconds == 10)
        #expect(defaults.idleTimeoutSeconds == 75)
        #expect(defaults.maxConnections == 4096)
        let widest = try Settings(environment: [
            "FX_HEADER_TIMEOUT_SECONDS": "300", "FX_IDLE_TIMEOUT_SECONDS": "3600", "FX_MAX_CONNECTIONS": "1000000",
        ])
        #expect([widest.headerTimeoutSeconds, widest.idleTimeoutSeconds, widest.maxConnections] == [300, 3600, 1_000_000])
        let narrowest = try Settings(environment: [
            "FX_HEADER_TIMEOUT_SECONDS": "1", "FX_IDLE_TIMEOUT_SECONDS": "1", "FX_MAX_CONNECTIONS": "1",
        ])
        #expect([narrowest.headerTimeoutSeconds, narrowest.idleTimeoutSeconds, narrowest.maxConnections] == [1, 1, 1])
    }

    @Test func metricsHaveAPortOfTheirOwnOnlyWhenAsked() throws {
        #expect(try Settings(environment: [:]).metricsPort == nil)
        #expect(try Settings(environment: ["FX_METRICS_PORT": "9464"]).metricsPort == 9464)
        #expect(try Settings(environment: ["FX_PORT": "9464", "FX_METRICS_PORT": "8080"]).metricsPort == 8080)
    }

    /// `Settings.variables` comes from the reads themselves; a bad value of each must name it.
    @Test func theVariablesAreExactlyThoseRead() {
        let invalid = [
            "FX_HOST": " a", "FX_PORT": "x", "FX_METRICS_PORT": "x", "FX_LOG_LEVEL": "x", "FX_LOG_FORMAT": "x",
            "FX_DRAIN_SECONDS": "x", "FX_REQUIRE_API_KEY": "x", "DATABASE_URL": "host=db nonsense", "FX_MIGRATE": "x",
            "FX_ADMIN_TOKEN": "a b", "REDIS_URL": "x", "FX_REDIS_TIMEOUT_MS": "x", "FX_REDIS_BATCH_SIZE": "0", "FX_ANON_LIMITS": "x",
            "FX_KEY_DEFAULT_LIMITS": "x", "FX_TRUSTED_PROXIES": "x", "FX_RATE_LIMIT_FALLBACK": "x",
            "FX_EXPECTED_REPLICAS": "x", "FX_IPV6_PREFIX": "31", "FX_CORS_ORIGINS": "x",
            "FX_HEADER_TIMEOUT_SECONDS": "x", "FX_IDLE_TIMEOUT_SECONDS": "x", "FX_MAX_CONNECTIONS": "x",
            "FX_REDIS_SENTINEL_PASSWORD": "a\tb", "FX_REDIS_TLS_CA_FILE": "/nonexistent/ca.pem",
            "FX_REDIS_TLS_CERT_FILE": "/nonexistent/client.pem", "FX_REDIS_TLS_KEY_FILE": "/nonexistent/client.key",
            "OTEL_SDK_DISABLED": "x", "OTEL_EXPORTER_OTLP_ENDPOINT": "x", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "x",
            "OTEL_TRACES_SAMPLER": "x", "OTEL_TRACES_SAMPLER_ARG": "x", "OTEL_SERVICE_NAME": "a\u{1}b",
            "OTEL_RESOURCE_ATTRIBUTES": "x", "OTEL_PROPAGATORS": "x",
        ]
        #expect(Set(Settings.variables) == Set(invalid.keys))
        #expect(Settings.variables.count == invalid.count)
        for (variable, value) in invalid {
            let error = #expect(throws: SettingsError.self) { try Settings(environment: [variable: value]) }
            #expect(error?.variable == variable)
        }
    }

    @Test(arguments: [
        ("FX_PORT", "http"), ("FX_PORT", "65536"), ("FX_PORT", "-1"), ("FX_LOG_LEVEL", "verbose"),
        ("FX_LOG_FORMAT", "yaml"), ("FX_HOST", "two words"), ("FX_DRAIN_SECONDS", "1h"),
        ("FX_REDIS_BATCH_SIZE", "129"), ("FX_METRICS_PORT", "0"), ("FX_METRICS_PORT", "8080"), ("FX_METRICS_PORT", "metrics"),
        ("FX_ANON_LIMITS", "999999999999/day"), ("FX_KEY_DEFAULT_LIMITS", "1000000001/second"),
        ("FX_HEADER_TIMEOUT_SECONDS", "0"), ("FX_HEADER_TIMEOUT_SECONDS", "301"), ("FX_IDLE_TIMEOUT_SECONDS", "0"),
        ("FX_IDLE_TIMEOUT_SECONDS", "3601"), ("FX_MAX_CONNECTIONS", "0"), ("FX_MAX_CONNECTIONS", "1000001"),
    ])
    func badValueNamesTheVariableAndTheExpectedForm(variable: String, value: String) {
        let error = #expect(throws: SettingsError.self) { try Settings(environment: [variable: value]) }
        #expect(error?.variable == variable)
        #expect(error?.description.hasPrefix("\(variable)=\"\(value)\" is invalid: expected ") == true)
        #expect(error?.description.contains("\n") == false)
    }
}

@Suite("FX_IPV6_PREFIX")
struct IPv6PrefixSettingTests {
    @Test func defaultsTo64AndTakes32To128() throws {
        #expect(try Settings(environment: [:]).ipv6PrefixLength == 64)
        #expect(try Settings(environment: ["FX_IPV6_PREFIX": "48"]).ipv6PrefixLength == 48)
        #expect(try Settings(environment: ["FX_IPV6_PREFIX": "128"]).ipv6PrefixLength == 128)
        for bad in ["31", "129", "0", "-64", "/64", "64 "] {
            #expect(throws: SettingsError.self) { try Settings(environment: ["FX_IPV6_PREFIX": bad]) }
        }
    }
}
