import FXCore
import FXSupport
@testable import FXServer
import Foundation
import HTTPTypes
import Hummingbird
import Synchronization
import HummingbirdTesting
import Testing

/// `ETag`, `Cache-Control` and `If-None-Match` on the four cacheable routes.
@Suite("Caching: ETag, Cache-Control and 304")
struct ResponseCachingTests {
    static let cacheable = ["/v1/convert?from=USD&to=JPY&amount=100", "/v1/rates?symbols=USD,JPY",
                            "/v1/rates/history?start=2024-01-01&end=2024-03-31&base=USD", "/v1/currencies"]

    /// The tag is XXH64 of the body's bytes, so it depends on nothing but the body: two separate
    /// applications (two replicas) answer the same tag.
    @Test(arguments: cacheable)
    func theETagIsAHashOfTheBodyAndTheSameOnEveryReplica(path: String) async throws {
        let tags = try await [1, 2].asyncMap { _ in
            try await withLiveAppResult { client in
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .ok)
                    let tag = try #require(response.headers[.eTag])
                    let hash = response.body.withUnsafeReadableBytes { XXHash64.hash($0) }
                    #expect(tag == "\"" + String(format: "%016llx", hash) + "\"", "\(path)")
                    return tag
                }
            }
        }
        #expect(tags[0] == tags[1])
    }

    @Test(arguments: [
        ("/v1/convert?from=USD&to=JPY&amount=100", "public, max-age=30"),
        ("/v1/convert?from=USD&to=JPY&amount=100&date=2024-03-08", "public, max-age=86400"),
        ("/v1/rates?symbols=USD", "public, max-age=30"),
        ("/v1/rates?symbols=USD&date=2026-11-05", "public, max-age=86400"),
        ("/v1/rates/history?start=2024-01-01&end=2024-01-31", "public, max-age=86400"),
        ("/v1/rates/history?start=2026-10-01&end=2026-11-28", "public, max-age=30"),
        ("/v1/currencies", "public, max-age=30"),
    ])
    func pastDatesAreFreshForADayTheLatestForThirtySeconds(path: String, expected: String) async throws {
        try await withLiveApp { client in
            try await client.execute(uri: path, method: .get) { response in
                #expect(response.headers[.cacheControl] == expected, "\(path)")
            }
        }
    }

    /// Today's date (the bundled history cannot answer it: its last observation is weeks earlier) is the latest.
    @Test func todayIsTheLatestAndYesterdayIsPast() {
        #expect(CacheFreshness(of: testToday, today: testToday) == .latest)
        #expect(CacheFreshness(of: nil, today: testToday) == .latest)
        #expect(CacheFreshness(of: Day(parsing: "2026-11-27"), today: testToday) == .past)
    }

    @Test func privateWhenAPIKeysAreRequired() async throws {
        let key = APIKey.generate()
        try await withKeyedApp(apiKeys: OneKeyStore(key: key), requireAPIKey: true) { client in
            for path in Self.cacheable {
                try await client.execute(uri: path, method: .get, headers: .bearer(key.text)) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.cacheControl]?.hasPrefix("private, max-age=") == true, "\(path)")
                }
            }
        }
    }

    @Test func errorsCarryNoCachingHeaders() async throws {
        try await withLiveApp { client in
            for path in ["/v1/rates?symbols=CYP", "/v1/convert?from=EU&to=USD&amount=1"] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.headers[.eTag] == nil)
                    #expect(response.headers[.cacheControl] == nil)
                }
            }
        }
    }

    /// A 304 answers after the body was computed and inside the limit: it uses up quota like a 200.
    @Test func ifNoneMatchAnswers304AndCountsAgainstTheLimit() async throws {
        var settings = Settings()
        settings.anonymousLimits = try LimitPolicy(parsing: "3/minute")
        try await withLiveApp(settings: settings) { client in
            let path = "/v1/rates?symbols=USD,JPY"
            let tag = try await client.execute(uri: path, method: .get) { response in
                #expect(response.status == .ok)
                return try #require(response.headers[.eTag])
            }
            try await client.execute(uri: path, method: .get, headers: [.ifNoneMatch: "\"0000000000000000\", W/\(tag)"]) { response in
                #expect(response.status == .notModified)
                #expect(response.body.readableBytes == 0)
                #expect(response.headers[.eTag] == tag)
                #expect(response.headers[.cacheControl] == "public, max-age=30")
                #expect(response.headers[RateLimitHeaders.state]?.hasPrefix("\"minute\";r=1;") == true)
            }
            try await client.execute(uri: path, method: .get, headers: [.ifNoneMatch: "\"0000000000000000\""]) { response in
                #expect(response.status == .ok)
            }
            try await client.execute(uri: path, method: .get, headers: [.ifNoneMatch: tag]) { response in
                #expect(response.status == .tooManyRequests)
            }
        }
    }

    @Test(arguments: [
        ("\"abc\"", "\"abc\"", true),
        ("\"abc\"", "W/\"abc\"", true),
        ("\"abc\"", "\"x\", \"abc\"", true),
        ("\"abc\"", "\"x\",W/\"abc\"", true),
        ("\"abc\"", "*", true),
        ("\"abc\"", "\"abcd\"", false),
        ("\"abc\"", "abc", false),
        ("\"abc\"", "\"ab", false),
        ("\"abc\"", "", false),
        ("\"abc\"", "W/", false),
    ])
    func ifNoneMatchUsesTheWeakComparison(tag: String, header: String, matches: Bool) {
        #expect(EntityTag.matches(tag, ifNoneMatch: header) == matches)
    }
}

/// A key store holding one key, with the default limits.
struct OneKeyStore: APIKeyStore {
    let key: APIKey

    func identity(for hash: APIKeyHash) async throws -> APIKeyIdentity? {
        hash == key.hash ? APIKeyIdentity(keyID: 1, tenant: "acme", limits: nil) : nil
    }
}

/// `withLiveApp`, handing back what `body` returns.
func withLiveAppResult<T: Sendable>(settings: Settings = Settings(),
                                    _ body: @Sendable @escaping (any TestClientProtocol) async throws -> T) async throws -> T {
    let result = ResultBox<T>()
    try await withLiveApp(settings: settings) { client in result.set(try await body(client)) }
    return try #require(result.value)
}

final class ResultBox<T: Sendable>: Sendable {
    private let stored = Mutex<T?>(nil)
    var value: T? { stored.withLock { $0 } }
    func set(_ value: T) { stored.withLock { $0 = value } }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
