import FXRedis
import FXServer
import FXTestSupport
import Foundation
import Testing

/// The TLS files are checked at startup: a file that is missing, unreadable or not of its kind, a certificate
/// without its key, or a key of another certificate is an error naming the variable.
@Suite("Redis TLS and sentinel settings", .enabled(if: TestCertificates.canMake))
struct RedisTLSSettingsTests {
    @Test func goodFilesCompleteARedissURL() throws {
        let certificates = try TestCertificates()
        defer { certificates.destroy() }
        let settings = try Settings(environment: [
            "REDIS_URL": "rediss+sentinel://s1:26379/mymaster", "FX_REDIS_SENTINEL_PASSWORD": "sentinel secret",
            "FX_REDIS_TLS_CA_FILE": certificates.caFile, "FX_REDIS_TLS_CERT_FILE": certificates.clientCertificateFile,
            "FX_REDIS_TLS_KEY_FILE": certificates.clientKeyFile,
        ])
        let configuration = try #require(try settings.redisConfiguration())
        #expect(configuration.tls == RedisTLS(caFile: certificates.caFile, certificateFile: certificates.clientCertificateFile,
                                              privateKeyFile: certificates.clientKeyFile))
        #expect(configuration.sentinel?.password == "sentinel secret")
    }

    @Test func aRedissClusterURLCarriesTheTLSFilesToEveryNode() throws {
        let certificates = try TestCertificates()
        defer { certificates.destroy() }
        let settings = try Settings(environment: [
            "REDIS_URL": "rediss+cluster://n1:7000,n2:7001", "FX_REDIS_TLS_CA_FILE": certificates.caFile,
        ])
        let configuration = try #require(try settings.redisConfiguration())
        #expect(configuration.topology == .cluster(seeds: [RedisEndpoint(host: "n1", port: 7000),
                                                           RedisEndpoint(host: "n2", port: 7001)]))
        #expect(configuration.tls == RedisTLS(caFile: certificates.caFile))
        #expect(configuration.sentinel == nil)
    }

    @Test func aPlainURLIgnoresTheTLSFiles() throws {
        let certificates = try TestCertificates()
        defer { certificates.destroy() }
        let settings = try Settings(environment: ["REDIS_URL": "redis://h:6379", "FX_REDIS_TLS_CA_FILE": certificates.caFile])
        #expect(try settings.redisConfiguration()?.tls == nil)
    }

    @Test func badFilesNameTheirVariable() throws {
        let certificates = try TestCertificates()
        defer { certificates.destroy() }
        let cases: [(String, [String: String])] = [
            ("FX_REDIS_TLS_CA_FILE", ["FX_REDIS_TLS_CA_FILE": certificates.directory.path]),
            ("FX_REDIS_TLS_CA_FILE", ["FX_REDIS_TLS_CA_FILE": certificates.clientKeyFile]),
            ("FX_REDIS_TLS_CERT_FILE", ["FX_REDIS_TLS_CERT_FILE": "/nonexistent/client.pem"]),
            ("FX_REDIS_TLS_KEY_FILE", ["FX_REDIS_TLS_KEY_FILE": certificates.caFile]),
            ("FX_REDIS_TLS_KEY_FILE", ["FX_REDIS_TLS_CERT_FILE": certificates.clientCertificateFile]),
            ("FX_REDIS_TLS_CERT_FILE", ["FX_REDIS_TLS_KEY_FILE": certificates.clientKeyFile]),
            ("FX_REDIS_TLS_KEY_FILE", ["FX_REDIS_TLS_CERT_FILE": certificates.clientCertificateFile,
                                       "FX_REDIS_TLS_KEY_FILE": certificates.serverKeyFile]),
        ]
        for (variable, environment) in cases {
            let error = #expect(throws: SettingsError.self) { try Settings(environment: environment) }
            #expect(error?.variable == variable, "\(environment)")
        }
    }

    @Test func theSentinelPasswordIsNeverEchoed() {
        let error = #expect(throws: SettingsError.self) { try Settings(environment: ["FX_REDIS_SENTINEL_PASSWORD": "se\u{7}cret"]) }
        #expect(error?.variable == "FX_REDIS_SENTINEL_PASSWORD")
        #expect(error?.description.contains("cret") == false)
    }
}
