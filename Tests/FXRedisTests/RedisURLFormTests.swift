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

    /// Every form of `REDIS_URL`: one topology each (standalone, sentinel, cluster), each with or without TLS,
    /// and each described back in its own form without the password.
    @Test(arguments: [
        ("redis://u:pw@cache:6380/3", RedisTopology.standalone, false, "redis://u@cache:6380/3"),
        ("rediss://u:pw@cache:6380/3", .standalone, true, "rediss://u@cache:6380/3"),
        ("redis+sentinel://u:pw@s1:26379,s2:26380/mymaster/3",
         .sentinel(RedisSentinelConfiguration(sentinels: [RedisEndpoint(host: "s1", port: 26379),
                                                          RedisEndpoint(host: "s2", port: 26380)], primaryName: "mymaster")),
         false, "redis+sentinel://u@s1:26379,s2:26380/mymaster/3"),
        ("rediss+sentinel://u:pw@s1:26379/mymaster",
         .sentinel(RedisSentinelConfiguration(sentinels: [RedisEndpoint(host: "s1", port: 26379)], primaryName: "mymaster")),
         true, "rediss+sentinel://u@s1:26379/mymaster/0"),
        ("redis+cluster://u:pw@n1:7000,n2:7001",
         .cluster(seeds: [RedisEndpoint(host: "n1", port: 7000), RedisEndpoint(host: "n2", port: 7001)]),
         false, "redis+cluster://u@n1:7000,n2:7001"),
        ("REDISS+CLUSTER://u:pw@n1:7000,n2:7001",
         .cluster(seeds: [RedisEndpoint(host: "n1", port: 7000), RedisEndpoint(host: "n2", port: 7001)]),
         true, "rediss+cluster://u@n1:7000,n2:7001"),
    ])
    func everyFormHasOneTopologyAndItsTLSFlag(url: String, topology: RedisTopology, tls: Bool, description: String) throws {
        let configuration = try RedisConfiguration(url: url)
        #expect(configuration.topology == topology)
        #expect(configuration.tls == (tls ? RedisTLS() : nil))
        #expect(configuration.username == "u" && configuration.password == "pw")
        #expect(configuration.description == description)
    }

    @Test func aClusterURLHasNoDatabaseAndNoGuessedPort() {
        #expect(throws: RedisError.self) { try RedisConfiguration(url: "rediss+cluster://n1:7000/1") }
        #expect(throws: RedisError.self) { try RedisConfiguration(url: "rediss+cluster://n1:7000,n2") }
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
