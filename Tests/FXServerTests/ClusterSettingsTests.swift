import FXServer
import Testing

/// `REDIS_URL`'s cluster form, as a startup setting.
@Suite struct ClusterSettingsTests {
    @Test func aClusterURLIsAccepted() throws {
        let url = "redis+cluster://app:secret@10.0.0.1:7000,10.0.0.2:7000"
        #expect(try Settings(environment: ["REDIS_URL": url]).redisURL == url)
    }

    @Test(arguments: ["redis+cluster://app:secret@10.0.0.1", "redis+cluster://app:secret@h:1/0",
                      "redis+cluster://app:secret@h:1,", "redis+cluster://app:secret@"])
    func aBadClusterURLNamesTheVariableWithoutThePassword(url: String) {
        let error = #expect(throws: SettingsError.self) { try Settings(environment: ["REDIS_URL": url]) }
        #expect(error?.variable == "REDIS_URL")
        #expect(error.map { !"\($0)".contains("secret") } == true)
        #expect(error?.description.contains("redis[s]+cluster://[user:password@]host:port[,host:port...]") == true)
    }
}
