import FXCore
import HTTPTypes
import Logging
import Testing

@testable import FXServer
import FXSupport

@Suite("Rate-limit headers, the circuit breaker and trusted proxies")
struct RateLimitPartsTests {
    @Test func headersFollowTheDraft() {
        let minute = RateLimitWindow(name: "minute", quota: 60, seconds: 60)
        let day = RateLimitWindow(name: "day", quota: 1000, seconds: 86_400)
        #expect(RateLimitHeaders.policyValue([minute, day]) == #""minute";q=60;w=60, "day";q=1000;w=86400"#)
        let decision = RateLimitDecision(allowed: false, windows: [
            .init(window: minute, remaining: 0, resetSeconds: 42), .init(window: day, remaining: 900, resetSeconds: 80_000),
        ], retryAfterSeconds: 7)
        var headers = HTTPFields()
        RateLimitHeaders.apply(decision, policyValue: RateLimitHeaders.policyValue([minute, day]), to: &headers)
        #expect(headers[RateLimitHeaders.state] == #""minute";r=0;t=42"#)
        #expect(headers[.retryAfter] == "7")
    }

    @Test func breakerOpensAfterFailuresAndClosesAfterAProbe() async throws {
        let breaker = CircuitBreaker(
            name: "redis", failureThreshold: 2,
            backoff: ReconnectBackoff(initialDelay: .milliseconds(1), maximumDelay: .milliseconds(1)),
            logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        #expect(breaker.allowsCall())
        breaker.recordFailure()
        #expect(breaker.state == .closed)
        breaker.recordFailure()
        #expect(breaker.state == .open)
        #expect(!breaker.allowsCall())

        try await waitUntil { breaker.allowsCall() }
        #expect(breaker.state == .halfOpen)
        #expect(!breaker.allowsCall())  // one probe at a time
        breaker.recordFailure()
        #expect(breaker.state == .open)

        try await waitUntil { breaker.allowsCall() }
        breaker.recordSuccess()
        #expect(breaker.state == .closed)
        #expect(breaker.allowsCall())
    }

    @Test func forwardedForIsBelievedOnlyFromTrustedProxies() throws {
        let proxies = try #require(TrustedProxies(parsing: "10.0.0.0/8, 192.168.1.7, fd00::/8"))
        #expect(proxies.clientAddress(peer: "203.0.113.9", forwardedFor: ["1.2.3.4"]) == "203.0.113.9")
        #expect(proxies.clientAddress(peer: "10.1.2.3", forwardedFor: ["1.2.3.4"]) == "1.2.3.4")
        #expect(proxies.clientAddress(peer: "10.1.2.3", forwardedFor: ["6.6.6.6, 1.2.3.4, 192.168.1.7"]) == "1.2.3.4")
        #expect(proxies.clientAddress(peer: "fd00::1", forwardedFor: ["2001:db8::5"]) == "2001:db8::5")
        #expect(proxies.clientAddress(peer: "10.1.2.3", forwardedFor: ["not-an-ip"]) == nil)
        #expect(TrustedProxies.none.clientAddress(peer: "10.1.2.3", forwardedFor: ["1.2.3.4"]) == "10.1.2.3")
        #expect(TrustedProxies(parsing: "10.0.0.0/33") == nil)
        #expect(TrustedProxies(parsing: "example.com") == nil)
    }

    @Test func ipv4MappedNetworksAreTheIPv4NetworksTheyMap() throws {
        let mapped = try #require(TrustedProxies(parsing: "::ffff:10.0.0.0/104"))
        #expect(mapped == TrustedProxies(parsing: "10.0.0.0/8"))
        #expect(mapped.clientAddress(peer: "10.200.0.1", forwardedFor: ["198.51.100.7"]) == "198.51.100.7")
        #expect(TrustedProxies(parsing: "::ffff:10.0.0.0/95") == nil, "reaches outside the mapped range")
        #expect(TrustedProxies(parsing: "10.0.0.1:80") == nil)
        #expect(TrustedProxies(parsing: "[fd00::]/8") == nil)
    }

    @Test(arguments: [
        ("198.51.100.7", 64, "198.51.100.7"), ("::ffff:198.51.100.7", 64, "198.51.100.7"),
        ("2001:db8:1:2:3:4:5:6", 64, "2001:db8:1:2::/64"), ("2001:db8:1:2:3:4:5:6", 48, "2001:db8:1::/48"),
        ("2001:db8:1:2:3:4:5:6", 56, "2001:db8:1::/56"), ("2001:db8:1:2ff:3:4:5:6", 60, "2001:db8:1:2f0::/60"),
        ("2001:db8:1:2:3:4:5:6", 128, "2001:db8:1:2:3:4:5:6"), ("::1", 64, "::/64"),
    ])
    func bucketsGroupIPv6ByPrefixAndKeepIPv4Whole(address: String, prefix: Int, bucket: String) throws {
        let parsed = try #require(ClientAddress(literal: address))
        #expect(parsed.bucket(ipv6PrefixLength: prefix) == bucket)
        #expect(parsed.bucket(ipv6PrefixLength: prefix).utf8.count <= 43)
    }
}

/// Polls `condition` every millisecond for at most five seconds.
func waitUntil(_ condition: () -> Bool) async throws {
    for _ in 0..<5000 {
        if condition() { return }
        try await Task.sleep(for: .milliseconds(1))
    }
    Issue.record("condition not met within 5 s")
}
