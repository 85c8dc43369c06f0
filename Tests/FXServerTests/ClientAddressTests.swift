import FXCore
import FXServer
import HTTPTypes
import HummingbirdTesting
import Testing

/// Who an anonymous caller is: the address its requests count against.
@Suite("Client addresses")
struct ClientAddressTests {
    private static let policy = HTTPField.Name("RateLimit-Policy")!

    @Test func anIPv4MappedPeerMatchesIPv4ProxiesAndIsKeyedAsIPv4() throws {
        let proxies = try #require(TrustedProxies(parsing: "10.0.0.0/8"))
        #expect(proxies.clientAddress(peer: "::ffff:10.1.2.3", forwardedFor: ["198.51.100.7"]) == "198.51.100.7")
        #expect(proxies.clientAddress(peer: "::ffff:203.0.113.9", forwardedFor: ["198.51.100.7"]) == "203.0.113.9")
        #expect(TrustedProxies.none.clientAddress(peer: "::ffff:203.0.113.9", forwardedFor: []) == "203.0.113.9")
        #expect(proxies.clientAddress(peer: "10.1.2.3", forwardedFor: ["::ffff:198.51.100.7"]) == "198.51.100.7")
        #expect(proxies.clientAddress(peer: "10.1.2.3", forwardedFor: ["198.51.100.7, ::ffff:10.9.9.9"]) == "198.51.100.7")
    }

    @Test(arguments: [
        ("198.51.100.7:51234", "198.51.100.7"), ("[2001:db8::5]", "2001:db8::5"), ("[2001:db8::5]:443", "2001:db8::5"),
        ("  198.51.100.7  ", "198.51.100.7"),
    ])
    func forwardedHopsWithAPortOrBracketsAreTheirAddress(hop: String, address: String) throws {
        let proxies = try #require(TrustedProxies(parsing: "10.0.0.0/8"))
        #expect(proxies.clientAddress(peer: "10.1.2.3", forwardedFor: [hop]) == address)
        #expect(proxies.clientAddress(peer: "10.1.2.3", forwardedFor: ["\(hop), 10.4.4.4"]) == address)
    }

    /// Behind a proxy that writes `ip:port`, two clients must not share the proxy's bucket.
    @Test func clientsBehindAProxyWritingPortsKeepTheirOwnBuckets() async throws {
        try await withProxiedApp(anonymous: "1/minute") { client in
            try await expect(client, forwardedFor: ["198.51.100.1:40001"], .ok)
            try await expect(client, forwardedFor: ["198.51.100.2:40002"], .ok)
            try await expect(client, forwardedFor: ["198.51.100.1:40003"], .tooManyRequests)
        }
    }

    /// A hop that does not parse, where the walk reaches it, is refused: charging the proxy would put every
    /// client in one bucket, and a bucket per text would give whoever writes the text a fresh quota each time.
    @Test func anUnparseableDecidingHopIsA400NotTheProxysBucket() async throws {
        try await withProxiedApp(anonymous: "1/minute") { client in
            for hop in ["garbage", "unknown", "198.51.100.1:port", "[2001:db8::1", "1.2.3.4.5", ""] {
                let (status, headers, body) = try await client.getJSON(
                    "/v1/currencies", headers: forwarded([hop.isEmpty ? " , " : hop]))
                #expect(status == .badRequest, "hop \(hop)")
                #expect(headers[.contentType] == "application/problem+json")
                #expect((body["detail"] as? String)?.contains("X-Forwarded-For") == true)
            }
            try await expect(client, forwardedFor: ["198.51.100.1"], .ok)
            // Text a client wrote to the left of an address nobody trusts is never read.
            try await expect(client, forwardedFor: ["garbage, 198.51.100.2"], .ok)
        }
    }

    @Test func severalForwardedForLinesAreOneList() async throws {
        try await withProxiedApp(anonymous: "1/minute") { client in
            try await expect(client, forwardedFor: ["198.51.100.7", "198.51.100.8"], .ok)
            try await expect(client, forwardedFor: ["198.51.100.8"], .tooManyRequests)
            try await expect(client, forwardedFor: ["198.51.100.7"], .ok)
        }
    }

    @Test func ipv6ClientsAreGroupedByTheirSlash64() async throws {
        try await withProxiedApp(anonymous: "1/minute") { client in
            try await expect(client, forwardedFor: ["2001:db8:1:2::1"], .ok)
            try await expect(client, forwardedFor: ["2001:db8:1:2:ffff:ffff:ffff:fffe"], .tooManyRequests)
            try await expect(client, forwardedFor: ["[2001:db8:1:2::77]:443"], .tooManyRequests)
            try await expect(client, forwardedFor: ["2001:db8:1:3::1"], .ok)
        }
    }

    private func forwarded(_ lines: [String]) -> HTTPFields {
        HTTPFields(lines.map { HTTPField(name: HTTPField.Name("X-Forwarded-For")!, value: $0) })
    }

    private func expect(_ client: some TestClientProtocol, forwardedFor lines: [String], _ expected: HTTPResponse.Status,
                        sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let status = try await client.getJSON("/v1/currencies", headers: forwarded(lines)).0
        #expect(status == expected, "X-Forwarded-For: \(lines)", sourceLocation: sourceLocation)
    }

    /// A live server behind a "proxy" at the loopback address, which is where the test client connects from.
    private func withProxiedApp(
        anonymous: String, _ body: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        var settings = Settings()
        settings.anonymousLimits = try LimitPolicy(parsing: anonymous)
        settings.trustedProxies = try #require(TrustedProxies(parsing: "127.0.0.0/8, ::1"))
        try await withKeyedApp(apiKeys: EmptyAPIKeyStore(), rateLimiting: RateLimiting(settings: settings), body)
    }
}
