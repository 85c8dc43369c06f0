import NIOCore
import Testing

@testable import FXRedis

/// The sentinel and TLS forms of `REDIS_URL`, and what a `+switch-master` message says.
@Suite struct RedisURLFormTests {
    @Test func sentinelURLNamesTheSentinelsThePrimaryAndTheDatabase() throws {
        let configuration = try RedisConfiguration(url: "redis+sentinel://app:s%40cret@10.0.0.1:26379,[::1]:26380,s3:26381/mymaster/2")
        let sentinel = try #require(configuration.sentinel)
        #expect(sentinel.sentinels == [RedisEndpoint(host: "10.0.0.1", port: 26379), RedisEndpoint(host: "::1", port: 26380),
                                       RedisEndpoint(host: "s3", port: 26381)])
        #expect(sentinel.primaryName == "mymaster")
        #expect(sentinel.password == nil, "the URL's credentials are the data nodes'")
        #expect(configuration.username == "app")
        #expect(configuration.password == "s@cret")
        #expect(configuration.database == 2)
        #expect(configuration.tls == nil)
        #expect(!"\(configuration)".contains("s@cret"))
    }

    @Test func sentinelURLDefaultsToDatabaseZero() throws {
        #expect(try RedisConfiguration(url: "redis+sentinel://s1:26379/mymaster").database == 0)
    }

    @Test(arguments: [
        "redis+sentinel://s1:26379",
        "redis+sentinel://s1:26379/",
        "redis+sentinel://s1:26379//0",
        "redis+sentinel://s1:26379/mymaster/x",
        "redis+sentinel://s1:26379/mymaster/0/extra",
        "redis+sentinel://s1:26379,/mymaster",
        "redis+sentinel://s1:0/mymaster",
        "redis+sentinal://s1:26379/mymaster",
        "rediss+foo://h:1",
    ])
    func malformedSentinelURLsAreRefused(url: String) {
        #expect(throws: RedisError.self) { try RedisConfiguration(url: url) }
    }

    @Test func sentinelListIsBounded() {
        let sentinels = (0...RedisURL.maximumEndpoints).map { "s\($0):26379" }.joined(separator: ",")
        #expect(throws: RedisError.self) { try RedisConfiguration(url: "redis+sentinel://\(sentinels)/mymaster") }
    }

    @Test func redissTurnsTLSOn() throws {
        #expect(try RedisConfiguration(url: "rediss://cache.example:6380").tls == RedisTLS())
        #expect(try RedisConfiguration(url: "REDISS+SENTINEL://s1:26379/mymaster").tls == RedisTLS())
        #expect(try RedisConfiguration(url: "redis://cache.example").tls == nil)
    }

    @Test func clusterFormsAreParsedWithTheirTLSFlag() throws {
        let url = try RedisURL(parsing: "rediss+cluster://u:p@n1:7000,n2:7001")
        #expect(url.usesTLS)
        #expect(url.topology == .cluster([RedisEndpoint(host: "n1", port: 7000), RedisEndpoint(host: "n2", port: 7001)]))
        #expect(throws: RedisError.self) { try RedisURL(parsing: "rediss+cluster://n1:7000/1") }
    }

    @Test func switchMasterNamesTheNewPrimaryOfItsName() {
        let payload = ByteBuffer(string: "mymaster 127.0.0.1 6379 127.0.0.1 6380")
        #expect(SentinelSwitchWatch.newPrimary(in: payload, name: "mymaster") == RedisEndpoint(host: "127.0.0.1", port: 6380))
        #expect(SentinelSwitchWatch.newPrimary(in: payload, name: "other") == nil)
        #expect(SentinelSwitchWatch.newPrimary(in: ByteBuffer(string: "mymaster 1 2 3"), name: "mymaster") == nil)
    }

    @Test func getMasterAddrReplyIsReadStrictly() {
        #expect(SentinelPrimaryLocator.endpoint(in: .array([.bulk("10.0.0.5"), .bulk("6379")]))
            == RedisEndpoint(host: "10.0.0.5", port: 6379))
        #expect(SentinelPrimaryLocator.endpoint(in: .null) == nil)
        #expect(SentinelPrimaryLocator.endpoint(in: .array([.bulk("10.0.0.5"), .bulk("0")])) == nil)
    }
}
