import FXCore
import FXSupport
@testable import FXServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

/// What every response carries and what browsers and caches expect: no `Server` banner, `nosniff`.
@Suite("HTTP edges: banner and nosniff")
struct HTTPEdgesTests {
    static let paths = ["/health", "/ready", "/openapi.json", "/docs", "/docs/swagger-ui.css", "/metrics",
                        "/v1/convert?from=EUR&to=USD&amount=1",
                        "/v1/convert?from=EU&to=USD&amount=1", "/v1/rates?symbols=CYP", "/nowhere", "/v1/nowhere"]

    @Test(arguments: paths)
    func noServerBanner(path: String) async throws {
        try await withLiveApp { client in
            try await client.execute(uri: path, method: .get) { response in
                #expect(response.headers[.server] == nil, "\(path): Server: \(response.headers[.server] ?? "")")
            }
        }
    }

    @Test(arguments: paths)
    func everyResponseIsNosniff(path: String) async throws {
        try await withLiveApp { client in
            try await client.execute(uri: path, method: .get) { response in
                #expect(response.headers[.xContentTypeOptions] == "nosniff", "\(path) (\(response.status))")
            }
            try await client.execute(uri: path, method: .delete) { response in
                #expect(response.headers[.xContentTypeOptions] == "nosniff", "DELETE \(path) (\(response.status))")
            }
        }
    }
}
