import Testing

@testable import FXFaultCore

/// The control API as loadtest/faults/ctl and the chaos scenarios call it.
@Suite struct ControlRequestTests {
    let proxies: Set<String> = ["redis", "postgres"]

    func parse(_ target: String) throws(ControlRequest.Rejection) -> ControlRequest {
        try ControlRequest(target: target, proxies: proxies)
    }

    func rejection(_ target: String) -> ControlRequest.Rejection? {
        do {
            _ = try parse(target)
            return nil
        } catch {
            return error
        }
    }

    @Test func everyPathCtlSendsParses() throws {
        #expect(try parse("/status") == .status)
        #expect(try parse("/redis/latency?ms=30&jitter=5") == .apply(proxy: "redis", fault: .latency(millis: 30, jitterMillis: 5)))
        #expect(try parse("/postgres/latency?ms=2000&jitter=0") == .apply(proxy: "postgres", fault: .latency(millis: 2000, jitterMillis: 0)))
        #expect(try parse("/redis/down") == .apply(proxy: "redis", fault: .down))
        #expect(try parse("/redis/blackhole") == .apply(proxy: "redis", fault: .blackhole))
        #expect(try parse("/postgres/reset-peer") == .apply(proxy: "postgres", fault: .resetPeer))
        #expect(try parse("/redis/clear") == .apply(proxy: "redis", fault: .none))
        #expect(try parse("/postgres/slow-close?ms=2000") == .apply(proxy: "postgres", fault: .slowClose(millis: 2000)))
        #expect(try parse("/postgres/bandwidth?kbps=64") == .apply(proxy: "postgres", fault: .bandwidth(kibPerSecond: 64)))
    }

    @Test func missingArgumentsTakeTheirDefaults() throws {
        #expect(try parse("/redis/latency") == .apply(proxy: "redis", fault: .latency(millis: 0, jitterMillis: 0)))
        #expect(try parse("/redis/latency?ms=7&jitter=") == .apply(proxy: "redis", fault: .latency(millis: 7, jitterMillis: 0)))
        #expect(try parse("/redis/slow-close") == .apply(proxy: "redis", fault: .slowClose(millis: 1000)))
        #expect(try parse("//redis//down/") == .apply(proxy: "redis", fault: .down))
    }

    @Test func theFirstOfARepeatedNameWinsAndNothingIsDecoded() throws {
        #expect(try parse("/redis/latency?ms=1.5&ms=9") == .apply(proxy: "redis", fault: .latency(millis: 1.5, jitterMillis: 0)))
        #expect(ControlRequest.arguments("a=%zz&b=1&=2&c&b=3") == ["a": "%zz", "b": "1", "": "2"])
        #expect(rejection("/redis/latency?ms=1%2E5")?.status == 400)
    }

    @Test func aPathThatNamesNothingIs404() {
        for target in ["/", "/nope/down", "/redis", "/redis/down/now", "/statuses", "/status/redis"] {
            #expect(rejection(target)?.status == 404, "\(target)")
        }
    }

    @Test func aBadFaultOrArgumentIs400() {
        for target in [
            "/redis/slow", "/redis/latency?ms=abc", "/redis/latency?ms=-1", "/redis/latency?ms=nan", "/redis/latency?ms=inf",
            "/redis/latency?ms=600001", "/redis/latency?ms=1&jitter=-2", "/redis/bandwidth", "/redis/bandwidth?kbps=0",
            "/redis/bandwidth?kbps=1e12", "/redis/slow-close?ms=1e300",
        ] {
            #expect(rejection(target)?.status == 400, "\(target)")
        }
    }

    @Test func proxySpecsAreNameEqualsListenColonUpstream() {
        #expect(ProxySpec(argument: "redis=18580:56570") == ProxySpec(name: "redis", listenPort: 18580, upstreamPort: 56570))
        for bad in ["redis", "redis=1", "redis=1:2:3", "=1:2", "re dis=1:2", "redis=0:2", "redis=1:65536", "redis=a:2", "a/b=1:2",
            "redis=+1:2", "redis=1:0002000000"] {
            #expect(ProxySpec(argument: bad) == nil, "\(bad)")
        }
    }
}
