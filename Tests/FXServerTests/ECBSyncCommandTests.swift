import FXPostgres
import FXServer
import FXStorage
import FXTestSupport
import Foundation
import HummingbirdTesting
import Logging
import Testing

/// `fxrates sync ecb` as the CronJob runs it: the binary, against the local ECB stand-in, a real database, and
/// running replicas that must serve the new day as soon as the command has finished.
@Suite("fxrates sync ecb", .enabled(if: canRunPrivateRedisWithPostgres))
struct ECBSyncCommandTests {
    @Test func aSyncMakesTheNewDateVisibleOnEveryRunningReplica() async throws {
        let redis = try await RedisServerProcess()
        defer { redis.destroy() }
        try await ECBSyncTests.withHistory { _, name in
            let environment = ["DATABASE_URL": TestPostgres.url(ofDatabase: name), "REDIS_URL": redis.url]
            // Replicas refresh from PostgreSQL every 30 s by themselves: seeing the day within the bound
            // below can only come from the invalidation the command publishes.
            try await withReplica(environment) { a in
                try await withReplica(environment) { b in
                    for replica in [a, b] { #expect(try await replica.getJSON("/v1/rates").2["date"] as? String == "2026-10-29") }
                    try await ECBFeedServer.with({ _, _ in ECBFeedServer.feed(ECBSyncTests.daily) }) { _, base in
                        let run = try await CommandLineTests.runAwaitingExit(
                            ["sync", "ecb", "--url", "\(base)/eurofxref-daily.xml"], environment: environment)
                        #expect(run.status == 0, "\(run.standardError)")
                        let synced = ContinuousClock.now
                        for replica in [a, b] {
                            var date: String?
                            repeat {
                                date = try await replica.getJSON("/v1/rates").2["date"] as? String
                                if date == "2026-10-30" { break }
                                try await Task.sleep(for: .milliseconds(10))
                            } while ContinuousClock.now - synced < .seconds(5)
                            #expect(date == "2026-10-30", "a replica serves the synced day within 5 s of the command's exit")
                        }
                    }
                }
            }
        }
    }

    @Test func theCommandPrintsOneLineAndExitsWithTheCodeOfWhatHappened() async throws {
        try await ECBSyncTests.withHistory { _, name in
            let environment = ["DATABASE_URL": TestPostgres.url(ofDatabase: name)]
            try await ECBFeedServer.with({ _, request in
                switch request.uri.path {
                case "/broken.xml": ECBFeedServer.feed(Array(ECBSyncTests.daily.prefix(400)))
                case "/down.xml": ECBFeedServer.status(.serviceUnavailable)
                default:
                    request.headers[.ifNoneMatch] == #""d1""# ? ECBFeedServer.status(.notModified)
                        : ECBFeedServer.feed(ECBSyncTests.daily, etag: #""d1""#)
                }
            }) { _, base in
                let synced = try await CommandLineTests.runAwaitingExit(
                    ["sync", "ecb", "--url", "\(base)/eurofxref-daily.xml"], environment: environment)
                #expect(synced.status == 0, "\(synced.standardError)")
                #expect(synced.standardOutput.wholeMatch(
                    of: /synced eurofxref-daily.xml: 1 date \(2026-10-30\), 29 values, 29 changed, in [0-9]+\.[0-9] s\n/) != nil,
                    "\(synced.standardOutput)")
                CommandLineTests.expectJSONLines(synced.standardError)

                let again = try await CommandLineTests.runAwaitingExit(
                    ["sync", "ecb", "--url", "\(base)/eurofxref-daily.xml"], environment: environment)
                #expect(again.status == 0)
                #expect(again.standardOutput.wholeMatch(
                    of: /nothing new \(304\) at eurofxref-daily.xml, in [0-9]+\.[0-9] s\n/) != nil, "\(again.standardOutput)")

                let broken = try await CommandLineTests.runAwaitingExit(
                    ["sync", "ecb", "--url", "\(base)/broken.xml"], environment: environment)
                #expect(broken.status == 3)
                #expect(broken.standardOutput.isEmpty)
                let brokenLines = Self.linesForAPerson(broken.standardError)
                #expect(brokenLines.count == 1 && brokenLines.first?.hasPrefix("fxrates: broken.xml: line ") == true,
                        "\(broken.standardError)")

                let down = try await CommandLineTests.runAwaitingExit(
                    ["sync", "ecb", "--url", "\(base)/down.xml", "--attempts", "2", "--timeout", "5"], environment: environment)
                #expect(down.status == 1)
                #expect(Self.linesForAPerson(down.standardError)
                    == ["fxrates: cannot fetch \(base)/down.xml (2 attempts): HTTP 503; nothing was imported"])

                let notHTTP = try await CommandLineTests.runAwaitingExit(
                    ["sync", "ecb", "--url", "ftp://example.org/eurofxref-daily.xml"], environment: environment)
                #expect(notHTTP.status == 2)
                let noDatabase = try await CommandLineTests.runAwaitingExit(["sync", "ecb"])
                #expect(noDatabase.status == 2)
            }
        }
    }

    /// The lines of standard error that are not JSON log lines: the one line a failure writes.
    static func linesForAPerson(_ standardError: String) -> [Substring] {
        standardError.split(separator: "\n").filter { !$0.hasPrefix("{") }
    }

    /// A replica built from `environment` alone, as `fxrates serve` builds it, once it is ready.
    private func withReplica(
        _ environment: [String: String], _ body: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let settings = try Settings(environment: environment.merging(["FX_PORT": "0"]) { $1 })
        var application = ApplicationEnvironment()
        application.today = { testToday }
        let app = try buildApplication(settings: settings, environment: application,
                                       logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        try await app.test(.live) { http in
            #expect(try await eventually { try await http.getJSON("/ready").0 == .ok }, "the replica becomes ready")
            try await body(http)
        }
    }
}
