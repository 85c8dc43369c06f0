import Testing

@testable import FXRedis

/// What the cluster client does with a command's failure, decided without a cluster.
@Suite struct ClusterRedirectionTests {
    private let node = RedisEndpoint(host: "10.0.0.7", port: 6380)

    @Test func movedUpdatesTheMapAndResends() {
        let decision = ClusterRedirectDecision.decide(RedisError.server("MOVED 3999 10.0.0.7:6380"),
                                                      replyingHost: "10.0.0.1", redirections: 0)
        #expect(decision == .resendMoved(slot: 3999, to: node))
    }

    @Test func askResendsOnceWithAsking() {
        let decision = ClusterRedirectDecision.decide(RedisError.server("ASK 3999 10.0.0.7:6380"),
                                                      replyingHost: "10.0.0.1", redirections: 2)
        #expect(decision == .resendAsking(to: node))
    }

    @Test func anEmptyHostIsTheReplyingNodes() {
        #expect(ClusterRedirection(parsing: "MOVED 1 :6380", replyingHost: "10.0.0.7") == .moved(slot: 1, to: node))
        #expect(ClusterRedirection(parsing: "ASK 1 [::1]:7000", replyingHost: "x")
                == .ask(slot: 1, to: RedisEndpoint(host: "::1", port: 7000)))
    }

    @Test func tryAgainAndClusterDownWaitForTheMap() {
        #expect(ClusterRedirectDecision.decide(RedisError.server("TRYAGAIN Multiple keys request during rehashing of slot"),
                                               replyingHost: "h", redirections: 0) == .retryLater)
        #expect(ClusterRedirectDecision.decide(RedisError.server("CLUSTERDOWN The cluster is down"),
                                               replyingHost: "h", redirections: 0) == .retryLater)
    }

    @Test func redirectionsAreBounded() {
        let moved = RedisError.server("MOVED 3999 10.0.0.7:6380")
        #expect(ClusterRedirectDecision.decide(moved, replyingHost: "h",
                                               redirections: ClusterRedirectDecision.maximumRedirections - 1) != .fail)
        #expect(ClusterRedirectDecision.decide(moved, replyingHost: "h",
                                               redirections: ClusterRedirectDecision.maximumRedirections) == .fail)
    }

    @Test(arguments: ["ERR unknown command", "MOVED", "MOVED x 1.2.3.4:5", "MOVED 16384 h:1", "MOVED 1 h:0", "MOVED 1 h",
                      "ASK 1 h:1 extra", "NOSCRIPT No matching script"])
    func otherErrorsFail(message: String) {
        #expect(ClusterRedirectDecision.decide(RedisError.server(message), replyingHost: "h", redirections: 0) == .fail)
    }

    @Test func nonServerErrorsFail() {
        #expect(ClusterRedirectDecision.decide(RedisError.timeout, replyingHost: "h", redirections: 0) == .fail)
    }
}
