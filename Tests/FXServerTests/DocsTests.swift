import FXCore
import FXServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// `/docs`, the API reference, as the server answers it; `scripts/docs-browser-test.py` checks in Chromium
/// that the page renders every path with no request leaving the server's origin.
@Suite("GET /docs and its files")
struct DocsTests {
    static let contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; "
        + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    static let files: [(path: String, contentType: String)] = [
        ("/docs", "text/html; charset=utf-8"),
        ("/docs/swagger-ui-bundle.js", "text/javascript; charset=utf-8"),
        ("/docs/swagger-ui.css", "text/css; charset=utf-8"),
        ("/docs/fxrates-docs.js", "text/javascript; charset=utf-8"),
        ("/docs/LICENSE", "text/plain; charset=utf-8"),
        ("/docs/swagger-ui-bundle.js.LICENSE.txt", "text/plain; charset=utf-8"),
    ]

    @Test(arguments: files.map(\.path))
    func answersWithItsTypeAndTheStrictPolicy(path: String) async throws {
        let contentType = try #require(Self.files.first { $0.path == path }).contentType
        try await withLiveApp { client in
            try await client.execute(uri: path, method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == contentType)
                #expect(response.headers[.contentSecurityPolicy] == Self.contentSecurityPolicy)
                #expect(response.headers[.cacheControl] == "no-cache")
                #expect(response.headers[.eTag]?.wholeMatch(of: /"[0-9a-f]{16}"/) != nil)
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
                #expect(response.body.readableBytes > 100)
            }
        }
    }

    /// The page's scripts and stylesheet are files of `/docs`, each served: no inline script or style that
    /// the policy would refuse, nothing from elsewhere.
    @Test func thePageLoadsOnlyItsOwnFiles() async throws {
        try await withLiveApp { client in
            let page = try await client.execute(uri: "/docs", method: .get) { String(buffer: $0.body) }
            let references = page.matches(of: /(?:src|href)="([^"]*)"/).map { String($0.output.1) }
            #expect(Set(references) == ["/docs/swagger-ui.css", "/docs/swagger-ui-bundle.js",
                                        "/docs/fxrates-docs.js", "data:,"])
            #expect(!page.contains("<script>"), "an inline script")
            #expect(!page.contains("style="), "an inline style")
            for reference in references where reference.hasPrefix("/") {
                try await client.execute(uri: reference, method: .get) { #expect($0.status == .ok, "\(reference)") }
            }
            let script = try await client.execute(uri: "/docs/fxrates-docs.js", method: .get) { String(buffer: $0.body) }
            #expect(script.contains(#"url: "/openapi.json""#))
            #expect(script.contains("validatorUrl: null"), "the validator badge would load from another origin")
        }
    }

    @Test(arguments: ["/docs/openapi.json", "/docs/index.html", "/docs/..", "/docs/swagger-ui.css.map",
                      "/docs/%2E%2E%2Fopenapi.json"])
    func anyOtherFileIsANotFoundProblem(path: String) async throws {
        try await withLiveApp { client in
            try await client.execute(uri: path, method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "application/problem+json")
            }
        }
    }

    @Test func aCurrentTagIsAnsweredNotModified() async throws {
        try await withLiveApp { client in
            let tag = try await client.execute(uri: "/docs/swagger-ui-bundle.js", method: .get) {
                try #require($0.headers[.eTag])
            }
            try await client.execute(uri: "/docs/swagger-ui-bundle.js", method: .get,
                                     headers: [.ifNoneMatch: tag]) { response in
                #expect(response.status == .notModified)
                #expect(response.body.readableBytes == 0)
                #expect(response.headers[.eTag] == tag)
            }
            try await client.execute(uri: "/docs/swagger-ui.css", method: .get, headers: [.ifNoneMatch: tag]) {
                #expect($0.status == .ok, "another file's tag")
            }
        }
    }

    /// Like `/openapi.json`, the reference costs no quota: with one anonymous request a minute, the API
    /// answers 429 while every file of the page still answers.
    @Test func isNeverRateLimited() async throws {
        var settings = Settings()
        settings.anonymousLimits = try LimitPolicy(parsing: "1/minute")
        try await withLiveApp(settings: settings) { client in
            for _ in 0..<3 {
                for path in Self.files.map(\.path) {
                    try await client.execute(uri: path, method: .get) { response in
                        #expect(response.status == .ok, "\(path)")
                        #expect(response.headers[HTTPField.Name("RateLimit-Policy")!] == nil)
                    }
                }
            }
            let first = try await client.execute(uri: "/v1/currencies", method: .get) { $0.status }
            let second = try await client.execute(uri: "/v1/currencies", method: .get) { $0.status }
            #expect([first, second] == [.ok, .tooManyRequests], "the limit is in force")
        }
    }
}
