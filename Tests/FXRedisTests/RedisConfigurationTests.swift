import FXRedis
import Testing

@Suite struct RedisConfigurationTests {
    @Test func hostAndPort() throws {
        let config = try RedisConfiguration(url: "redis://cache.internal:6380")
        #expect(config.host == "cache.internal")
        #expect(config.port == 6380)
        #expect(config.username == nil)
        #expect(config.password == nil)
        #expect(config.database == 0)
    }

    @Test func defaultPortAndDatabase() throws {
        let config = try RedisConfiguration(url: "redis://localhost/5")
        #expect(config.port == 6379)
        #expect(config.database == 5)
    }

    @Test func userPasswordAndPercentEncoding() throws {
        let config = try RedisConfiguration(url: "redis://app%20user:p%40ss:w@[::1]:7000/1")
        #expect(config.username == "app user")
        #expect(config.password == "p@ss:w")
        #expect(config.host == "::1")
        #expect(config.port == 7000)
        #expect(config.database == 1)
    }

    @Test func passwordOnlyForms() throws {
        #expect(try RedisConfiguration(url: "redis://:secret@h:1").password == "secret")
        #expect(try RedisConfiguration(url: "redis://:secret@h:1").username == nil)
        #expect(try RedisConfiguration(url: "redis://secret@h:1").password == "secret")
    }

    @Test(arguments: ["http://h", "unix:///tmp/redis.sock", "redis+unix://h"])
    func unknownSchemesAreRejected(url: String) {
        #expect {
            try RedisConfiguration(url: url)
        } throws: { error in
            guard case RedisError.invalidURL(let reason) = error else { return false }
            return reason.contains("scheme")
        }
    }

    @Test(arguments: ["redis://", "redis://h:0", "redis://h:70000", "redis://h:port", "redis://h/-1", "redis://h/x", "h:6379", "redis://:%zz@h"])
    func malformedURLsAreRejected(url: String) {
        #expect(throws: RedisError.self) {
            try RedisConfiguration(url: url)
        }
    }

    @Test func descriptionAndErrorsNeverContainThePassword() throws {
        let config = try RedisConfiguration(url: "redis://bob:hunter2@h:1/2")
        #expect(!config.description.contains("hunter2"))
        #expect(config.description.contains("h:1"))
        do {
            _ = try RedisConfiguration(url: "redis://bob:hunter2@h:notaport")
            Issue.record("expected the URL to be rejected")
        } catch {
            #expect(!"\(error)".contains("hunter2"))
        }
    }
}
