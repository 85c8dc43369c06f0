import FXTestSupport
import Foundation
import NIOPosix
import Testing

@testable import FXRedis

/// `rediss://` against redis-server's own TLS, with certificates made for the test: the matrix of what must
/// connect and what must be refused.
@Suite(
    "TLS to Redis", .serialized,
    .enabled(if: FileManager.default.fileExists(atPath: "/usr/bin/redis-server") && TestCertificates.canMake)
)
struct TLSTests {
    @Test func theRightCAConnects() async throws {
        try await withTLSServer { certificates, port async throws in
            #expect(try await ping("rediss://127.0.0.1:\(port)", tls: RedisTLS(caFile: certificates.caFile)) == .simpleString("PONG"))
        }
    }

    @Test func aHostNameIsVerifiedAgainstTheDNSNames() async throws {
        try await withTLSServer { certificates, port async throws in
            #expect(try await ping("rediss://localhost:\(port)", tls: RedisTLS(caFile: certificates.caFile)) == .simpleString("PONG"))
        }
    }

    @Test func aWrongCAIsRefused() async throws {
        try await withTLSServer { certificates, port async throws in
            await #expect(throws: (any Error).self) {
                try await ping("rediss://127.0.0.1:\(port)", tls: RedisTLS(caFile: certificates.wrongCAFile))
            }
        }
    }

    @Test func theSystemRootsRefuseAPrivateCA() async throws {
        try await withTLSServer { _, port async throws in
            await #expect(throws: (any Error).self) { try await ping("rediss://127.0.0.1:\(port)", tls: RedisTLS()) }
        }
    }

    @Test func aWrongHostNameIsRefused() async throws {
        try await withTLSServer(certificate: "other-host") { certificates, port async throws in
            await #expect(throws: (any Error).self) {
                try await ping("rediss://127.0.0.1:\(port)", tls: RedisTLS(caFile: certificates.caFile))
            }
        }
    }

    @Test func mutualTLSConnectsWithAClientCertificate() async throws {
        try await withTLSServer(requireClientCertificate: true) { certificates, port async throws in
            let tls = RedisTLS(caFile: certificates.caFile, certificateFile: certificates.clientCertificateFile,
                               privateKeyFile: certificates.clientKeyFile)
            #expect(try await ping("rediss://127.0.0.1:\(port)", tls: tls) == .simpleString("PONG"))
        }
    }

    @Test func mutualTLSRefusesAClientWithoutCertificate() async throws {
        try await withTLSServer(requireClientCertificate: true) { certificates, port async throws in
            await #expect(throws: (any Error).self) {
                try await ping("rediss://127.0.0.1:\(port)", tls: RedisTLS(caFile: certificates.caFile))
            }
        }
    }

    @Test func plainTCPGetsNoAnswerFromATLSPort() async throws {
        try await withTLSServer { _, port async throws in
            await #expect(throws: (any Error).self) { try await ping("redis://127.0.0.1:\(port)", tls: nil) }
        }
    }

    @Test func aClientFollowsTheURLsTLS() async throws {
        try await withTLSServer { certificates, port async throws in
            var configuration = try RedisConfiguration(url: "rediss://127.0.0.1:\(port)")
            configuration.tls?.caFile = certificates.caFile
            try await TestRedis.withClient(configuration) { client async throws in
                #expect(try await client.send("PING", timeout: .seconds(5)) == .simpleString("PONG"))
            }
        }
    }

    /// One connection's handshake and PING, so that a refusal surfaces as the error itself.
    private func ping(_ url: String, tls: RedisTLS?) async throws -> RESPValue {
        var configuration = try RedisConfiguration(url: url)
        configuration.tls = tls
        configuration.connectTimeout = .seconds(5)
        let connection = try await RedisConnection.connect(
            configuration: configuration, eventLoop: MultiThreadedEventLoopGroup.singleton.next(), logger: TestRedis.logger)
        defer { Task { await connection.close() } }
        return try await connection.send(["PING"], timeout: .seconds(5)).get()
    }

    private func withTLSServer(
        certificate: String = "server", requireClientCertificate: Bool = false,
        _ body: (TestCertificates, Int) async throws -> Void
    ) async throws {
        let certificates = try TestCertificates()
        defer { certificates.destroy() }
        let port = try await TestPorts.port(TestPorts.tls)
        let server = try await RedisServerProcess(
            port: port,
            arguments: certificates.redisArguments(port: port, certificate: certificate,
                                                   requireClientCertificate: requireClientCertificate))
        defer { server.destroy() }
        try await body(certificates, port)
    }
}
