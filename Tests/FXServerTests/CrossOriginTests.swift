import FXCore
@testable import FXServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("CORS (FX_CORS_ORIGINS)")
struct CrossOriginTests {
    static let app = "https://app.example.com"

    static func settings(_ origins: String, limits: String = "600/minute") throws -> Settings {
        var settings = try Settings(environment: ["FX_CORS_ORIGINS": origins])
        settings.anonymousLimits = try LimitPolicy(parsing: limits)
        return settings
    }

    @Test func preflightIs204WithTheAllowedHeadersAndIsNotRateLimited() async throws {
        try await withLiveApp(settings: try Self.settings("\(Self.app),http://localhost:3000", limits: "1/minute")) { client in
            for path in ["/v1/convert", "/v1/rates", "/v1/rates/history", "/v1/currencies", "/v1/convert"] {
                try await client.execute(uri: path, method: .options, headers: [
                    .origin: Self.app, .accessControlRequestMethod: "GET",
                    .accessControlRequestHeaders: "authorization, x-api-key, if-none-match",
                ]) { response in
                    #expect(response.status == .noContent, "\(path)")
                    #expect(response.headers[.accessControlAllowOrigin] == Self.app)
                    #expect(response.headers[.accessControlAllowMethods] == "GET, HEAD")
                    #expect(response.headers[.accessControlAllowHeaders] == "Authorization, X-API-Key, If-None-Match, X-Request-ID")
                    #expect(response.headers[.accessControlMaxAge] == "600")
                    #expect(response.headers[.vary] == "Origin")
                    #expect(response.headers[RateLimitHeaders.policy] == nil, "a preflight is not limited")
                }
            }
            // The one request of the quota is still there after five preflights.
            try await client.execute(uri: "/v1/currencies", method: .get, headers: [.origin: Self.app]) { response in
                #expect(response.status == .ok)
            }
        }
    }

    @Test func withoutFXCORSOriginsOptionsStaysA405WithoutCORSHeaders() async throws {
        try await withLiveApp { client in
            try await client.execute(uri: "/v1/convert", method: .options, headers: [.origin: Self.app]) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "GET, HEAD")
                #expect(response.headers[.accessControlAllowOrigin] == nil)
            }
            try await client.execute(uri: "/v1/currencies", method: .get, headers: [.origin: Self.app]) { response in
                #expect(response.headers[.accessControlAllowOrigin] == nil)
                #expect(!response.headers[values: .vary].contains("Origin"))
            }
        }
    }

    /// Browsers read a response's status and headers only with `Access-Control-Allow-Origin`: problems
    /// and 429s carry it too, with the headers a script needs to back off.
    @Test func allowedOriginsReadSuccessesProblemsAnd429s() async throws {
        try await withLiveApp(settings: try Self.settings(Self.app, limits: "3/minute")) { client in
            for (path, status) in [("/v1/currencies", HTTPResponse.Status.ok), ("/v1/rates?symbols=CYP", .notFound),
                                   ("/v1/convert?from=EU", .unprocessableContent), ("/v1/currencies", .tooManyRequests)] {
                try await client.execute(uri: path, method: .get, headers: [.origin: Self.app]) { response in
                    #expect(response.status == status)
                    #expect(response.headers[.accessControlAllowOrigin] == Self.app, "\(path)")
                    #expect(response.headers[.accessControlExposeHeaders]
                        == "RateLimit, RateLimit-Policy, Retry-After, ETag, X-Request-ID", "\(path)")
                    #expect(response.headers[values: .vary].contains("Origin"), "\(path)")
                }
            }
        }
    }

    @Test func otherOriginsGetNoCORSHeadersButVary() async throws {
        try await withLiveApp(settings: try Self.settings(Self.app)) { client in
            for origin in ["https://evil.example.com", "https://app.example.com.evil.net", "http://app.example.com", "null"] {
                try await client.execute(uri: "/v1/currencies", method: .get, headers: [.origin: origin]) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.accessControlAllowOrigin] == nil, "\(origin)")
                    #expect(response.headers[values: .vary].contains("Origin"))
                }
                try await client.execute(uri: "/v1/currencies", method: .options, headers: [.origin: origin]) { response in
                    #expect(response.status == .noContent)
                    #expect(response.headers[.accessControlAllowOrigin] == nil, "\(origin)")
                    #expect(response.headers[.accessControlAllowHeaders] == nil, "\(origin)")
                }
            }
            try await client.execute(uri: "/health", method: .get, headers: [.origin: Self.app]) { response in
                #expect(response.headers[.accessControlAllowOrigin] == nil, "operations routes are not cross-origin")
            }
            try await client.execute(uri: "/v1/convert", method: .delete, headers: [.origin: Self.app]) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "GET, HEAD, OPTIONS")
            }
        }
    }

    @Test func anyOriginAnswersAStarWithoutVary() async throws {
        try await withLiveApp(settings: try Self.settings("*")) { client in
            try await client.execute(uri: "/v1/currencies", method: .get, headers: [.origin: "https://anyone.example"]) { response in
                #expect(response.headers[.accessControlAllowOrigin] == "*")
                #expect(!response.headers[values: .vary].contains("Origin"))
            }
        }
    }
}
