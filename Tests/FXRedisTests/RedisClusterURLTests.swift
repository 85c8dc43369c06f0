import FXRedis
import Testing

@Suite struct RedisClusterURLTests {
    @Test func seedsAndCredentials() throws {
        let config = try RedisConfiguration(url: "redis+cluster://app:p%40ss@10.0.0.1:7000,10.0.0.2:7001,[::1]:7002")
        #expect(config.topology == .cluster(seeds: [
            RedisEndpoint(host: "10.0.0.1", port: 7000), RedisEndpoint(host: "10.0.0.2", port: 7001),
            RedisEndpoint(host: "::1", port: 7002),
        ]))
        #expect(config.username == "app")
        #expect(config.password == "p@ss")
        #expect(config.host == "10.0.0.1" && config.port == 7000)
        #expect(config.description == "redis+cluster://app@10.0.0.1:7000,10.0.0.2:7001,[::1]:7002")
    }

    @Test func oneSeedWithoutCredentials() throws {
        let config = try RedisConfiguration(url: "REDIS+CLUSTER://cache:6379")
        #expect(config.topology == .cluster(seeds: [RedisEndpoint(host: "cache", port: 6379)]))
        #expect(config.password == nil)
    }

    @Test func thePasswordIsNeverDescribed() throws {
        let config = try RedisConfiguration(url: "redis+cluster://:hunter2@h:1")
        #expect(config.password == "hunter2")
        #expect(!config.description.contains("hunter2"))
    }

    @Test func aStandaloneURLStaysStandalone() throws {
        #expect(try RedisConfiguration(url: "redis://h:1").topology == .standalone)
    }

    @Test(arguments: [
        "redis+cluster://", "redis+cluster://h", "redis+cluster://h:1,", "redis+cluster://h:1,,h:2",
        "redis+cluster://h:1/0", "redis+cluster://h:1?x=1", "redis+cluster://h:1,h", "redis+cluster://h:70000",
        "redis+cluster://[::1]", "redis+cluster://:%zz@h:1", "redis+cluster://h:1#x",
    ])
    func badFormsAreRejected(url: String) {
        #expect(throws: RedisError.self) { try RedisConfiguration(url: url) }
    }

    @Test func errorsNeverRepeatThePassword() {
        #expect {
            try RedisConfiguration(url: "redis+cluster://u:hunter2@h:1/db")
        } throws: { error in
            !"\(error)".contains("hunter2")
        }
    }
}
