import FXCore
import FXECBSync
import FXPostgres
import FXStorage
import FXTestSupport
import Foundation
import HTTPTypes
import Logging
import Testing

/// `fxrates sync ecb` against a local server playing the ECB (ECBFeedServer), into a real PostgreSQL
/// database that starts with the bundled history up to 2026-10-29; the feed brings 2026-10-30.
@Suite("ECB sync", .enabled(if: TestDatabase.isConfigured))
struct ECBSyncTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appending(path: "../Fixtures/ECB").standardizedFileURL
    static let daily = Array(try! Data(contentsOf: fixtures.appending(path: "eurofxref-daily.xml")))
    static let ninetyDays = Array(try! Data(contentsOf: fixtures.appending(path: "eurofxref-hist-90d.xml")))
    static let history = try! Data(contentsOf: fixtures.appending(path: "eurofxref-hist-until-2026-10-29.csv"))
    static let lastModified = "Fri, 30 Oct 2026 15:01:02 GMT"

    /// Short timeouts and backoff: the local server answers in milliseconds.
    static var fast: ECBSyncOptions {
        var options = ECBSyncOptions()
        options.requestTimeout = .seconds(5)
        options.attempts = 3
        options.backoff = .init(initialDelay: .milliseconds(10), maximumDelay: .milliseconds(50))
        return options
    }

    /// A database holding the history up to 2026-10-29.
    static func withHistory(_ body: (PostgresClient, String) async throws -> Void) async throws {
        try await TestPostgres.withDatabase { client, name in
            _ = try await ECBImporter(client: client).importHistory(history)
            try await body(client, name)
        }
    }

    static func sync(_ client: PostgresClient, _ url: String, feed: ECBFeed = .daily,
                     options: ECBSyncOptions = fast) async throws -> ECBSyncResult {
        try await ECBSync(database: client, options: options, logger: TestDatabase.logger).run(feed, url: url)
    }

    static func newest(_ client: PostgresClient) async throws -> String {
        try await client.query("SELECT max(observed_on)::text AS newest FROM rates").first!.decode(String.self, column: "newest")
    }

    static func error(_ body: () async throws -> ECBSyncResult) async -> ECBSyncError? {
        do {
            _ = try await body()
            return nil
        } catch {
            return error as? ECBSyncError
        }
    }

    static let day = Day(parsing: "2026-10-30")!

    @Test func aNormalDayImportsItsRatesWithAnAuditRowAndKeepsTheValidators() async throws {
        try await Self.withHistory { client, _ in
            try await ECBFeedServer.with({ _, _ in ECBFeedServer.feed(Self.daily, etag: #""d1""#, lastModified: Self.lastModified) }) { server, base in
                let result = try await Self.sync(client, "\(base)/eurofxref-daily.xml")
                #expect(result == .imported(file: "eurofxref-daily.xml",
                                            summary: ECBImportSummary(values: 29, dates: 1, changedRows: 29), days: Self.day...Self.day))
                #expect(try await Self.newest(client) == "2026-10-30")
                let audit = try await client.query(
                    "SELECT actor, rows, detail->>'url' AS url FROM audit_log WHERE actor = 'cli:sync'")
                #expect(audit.count == 1)
                #expect(try audit.first?.decode(Int.self, column: "rows") == 29)
                #expect(try audit.first?.decode(String.self, column: "url") == "\(base)/eurofxref-daily.xml")
                let stored = try await ECBFeedValidators.stored(for: "\(base)/eurofxref-daily.xml", in: client)
                #expect(stored == ECBFeedValidators(etag: #""d1""#, lastModified: Self.lastModified))
                #expect(server.requests.first?[.ifNoneMatch] == nil, "nothing stored yet, nothing sent")
            }
        }
    }

    @Test func aTARGETHolidayServesTheLastDayAgainAndChangesNothingAndNoDayIsDeleted() async throws {
        try await Self.withHistory { client, _ in
            // No validators: every request is a full download, as from a server that sends none.
            try await ECBFeedServer.with({ _, request in
                ECBFeedServer.feed(request.uri.path.hasSuffix("90d.xml") ? Self.ninetyDays : Self.daily)
            }) { _, base in
                _ = try await Self.sync(client, "\(base)/eurofxref-hist-90d.xml", feed: .ninetyDays)
                let before = try await TestPostgres.count(client, "SELECT count(*) AS count FROM rates")
                _ = try await Self.sync(client, "\(base)/eurofxref-daily.xml")
                let holiday = try await Self.sync(client, "\(base)/eurofxref-daily.xml")
                #expect(holiday == .imported(file: "eurofxref-daily.xml",
                                             summary: ECBImportSummary(values: 29, dates: 1, changedRows: 0), days: Self.day...Self.day))
                #expect(try await Self.newest(client) == "2026-10-30")
                // The daily feed carries one day; the four before it stay.
                #expect(try await TestPostgres.count(client, "SELECT count(*) AS count FROM rates") == before)
                #expect(try await TestPostgres.count(
                    client, "SELECT count(*) AS count FROM rates WHERE observed_on = '2026-10-26'") == 29)
            }
        }
    }

    @Test func theStoredValidatorsAreSentAndA304ImportsNothing() async throws {
        try await Self.withHistory { client, _ in
            try await ECBFeedServer.with({ _, request in
                request.headers[.ifNoneMatch] == #""d1""#
                    ? ECBFeedServer.status(.notModified)
                    : ECBFeedServer.feed(Self.daily, etag: #""d1""#, lastModified: Self.lastModified)
            }) { server, base in
                _ = try await Self.sync(client, "\(base)/eurofxref-daily.xml")
                let again = try await Self.sync(client, "\(base)/eurofxref-daily.xml")
                #expect(again == .notModified(file: "eurofxref-daily.xml"))
                let second = try #require(server.requests.last)
                #expect(second[.ifNoneMatch] == #""d1""#)
                #expect(second[.ifModifiedSince] == Self.lastModified)
                #expect(try await TestPostgres.count(client, "SELECT count(*) AS count FROM audit_log WHERE actor = 'cli:sync'") == 1)
            }
        }
    }

    /// (what, body, what the error says)
    static let broken: [(String, [UInt8], String)] = [
        // Cut where a dropped connection would leave it: after a whole line, so only the end tags are missing.
        ("truncated", Array(String(decoding: daily, as: UTF8.self).components(separatedBy: "<Cube currency='GBP'")[0].utf8),
         "eurofxref-daily.xml: line 13, column 4: the feed ends before </Cube>: it is truncated"),
        ("malformed", Array(String(decoding: daily, as: UTF8.self).replacingOccurrences(of: "rate='1.1172'", with: "rate='1,1172'").utf8),
         "eurofxref-daily.xml: line 9, column 4: USD rate \"1,1172\""),
    ]

    @Test(arguments: broken.indices)
    func aTruncatedOrMalformedFeedImportsNothingAndStoresNoValidators(index: Int) async throws {
        let (what, body, says) = Self.broken[index]
        try await Self.withHistory { client, _ in
            try await ECBFeedServer.with({ _, _ in ECBFeedServer.feed(body, etag: #""bad""#) }) { server, base in
                let error = await Self.error { try await Self.sync(client, "\(base)/eurofxref-daily.xml") }
                guard case .malformed = error else {
                    Issue.record("\(what): expected .malformed, got \(String(describing: error))")
                    return
                }
                #expect(error?.description.contains(says) == true, "\(what): \(error?.description ?? "")")
                #expect(server.requests.count == 1, "a broken feed is not fetched again")
                let newest = try await Self.newest(client)
                #expect(newest == "2026-10-29")
                let validators = try await TestPostgres.count(client, "SELECT count(*) AS count FROM ecb_feed_validators")
                #expect(validators == 0)
            }
        }
    }

    @Test func aServerThatDoesNotAnswerTimesOutOnEveryAttemptAndTheSyncGivesUp() async throws {
        try await Self.withHistory { client, _ in
            let gate = Gate()
            try await ECBFeedServer.with({ _, _ in
                await gate.wait()
                return ECBFeedServer.feed(Self.daily)
            }) { server, base in
                var options = Self.fast
                options.requestTimeout = .milliseconds(300)
                options.attempts = 2
                let started = ContinuousClock.now
                let error = await Self.error { try await Self.sync(client, "\(base)/eurofxref-daily.xml", options: options) }
                let elapsed = ContinuousClock.now - started
                gate.open()
                guard case .unreachable(_, let attempts, let reason) = error else {
                    Issue.record("expected .unreachable, got \(String(describing: error))")
                    return
                }
                #expect(attempts == 2)
                #expect(reason == "no complete answer within 300 ms")
                #expect(server.requests.count == 2)
                // Two attempts of 300 ms and a 50 ms backoff; bounded generously for a loaded machine.
                #expect(elapsed < .seconds(10), "\(elapsed)")
                let newest = try await Self.newest(client)
                #expect(newest == "2026-10-29")
            }
        }
    }

    @Test func a500IsRetriedAndTheNextAttemptImports() async throws {
        try await Self.withHistory { client, _ in
            try await ECBFeedServer.with({ number, _ in
                number == 1 ? ECBFeedServer.status(.internalServerError) : ECBFeedServer.feed(Self.daily)
            }) { server, base in
                let result = try await Self.sync(client, "\(base)/eurofxref-daily.xml")
                guard case .imported(_, let summary, _) = result else {
                    Issue.record("expected an import, got \(result)")
                    return
                }
                #expect(summary.changedRows == 29)
                #expect(server.requests.count == 2)
            }
        }
    }

    @Test func a404IsNotRetriedAndAServerThatKeepsFailingIsGivenUpOn() async throws {
        try await Self.withHistory { client, _ in
            try await ECBFeedServer.with({ _, request in
                ECBFeedServer.status(request.uri.path.hasSuffix("missing.xml") ? .notFound : .serviceUnavailable)
            }) { server, base in
                let missing = await Self.error { try await Self.sync(client, "\(base)/missing.xml") }
                #expect(missing?.description == "\(base)/missing.xml answered HTTP 404; nothing was imported")
                #expect(server.requests.count == 1)
                let failing = await Self.error { try await Self.sync(client, "\(base)/eurofxref-daily.xml") }
                #expect(failing?.description == "cannot fetch \(base)/eurofxref-daily.xml (3 attempts): HTTP 503; nothing was imported")
                #expect(server.requests.count == 4)
            }
        }
    }

    @Test func theHistFeedIsTheZippedCSVImportReads() async throws {
        let zip = Array(try Data(contentsOf: Self.fixtures.appending(path: "../../../data/eurofxref-hist.zip").standardizedFileURL))
        try await Self.withHistory { client, _ in
            try await ECBFeedServer.with({ _, _ in ECBFeedServer.feed(zip, etag: #""h1""#) }) { _, base in
                let result = try await Self.sync(client, "\(base)/eurofxref-hist.zip", feed: .history)
                guard case .imported(let file, let summary, let days) = result else {
                    Issue.record("expected an import, got \(result)")
                    return
                }
                #expect(file == "eurofxref-hist.zip")
                #expect(summary.dates == 7_126)
                #expect(days == Day(parsing: "1999-01-04")!...Self.day)
                // The four days the database held already are in the zip with the same rates.
                #expect(summary.changedRows == summary.values - 116)
            }
        }
    }

    @Test(arguments: ["ftp://example.org/eurofxref-daily.xml", "eurofxref-daily.xml", "http://"])
    func aURLThatIsNotHTTPIsRefusedBeforeAnyRequest(url: String) async throws {
        try await Self.withHistory { client, _ in
            let error = await Self.error { try await Self.sync(client, url) }
            guard case .invalidURL = error else {
                Issue.record("expected .invalidURL, got \(String(describing: error))")
                return
            }
        }
    }
}
