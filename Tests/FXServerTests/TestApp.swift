import FXCore
import FXServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// The real embedded store, loaded once for every test in this target.
let bundledStore = try! InMemoryRateStore.bundledECB()

/// A fixed "today", so future-date rules do not depend on when the tests run.
let testToday = Day(parsing: "2026-11-28")!

/// Runs `body` against a live server (real HTTP on a loopback port) built the way `fxrates serve` builds it.
func withLiveApp(
    store: any RateStore = bundledStore, readiness: Readiness? = nil, admin: AdminAccess? = nil,
    _ body: @Sendable (any TestClientProtocol) async throws -> Void
) async throws {
    let ready = readiness ?? {
        let readiness = Readiness()
        readiness.markRatesLoaded()
        return readiness
    }()
    let dependencies = AppDependencies(store: store, readiness: ready, today: { testToday }, admin: admin)
    var settings = Settings()
    settings.port = 0
    var logger = Logger(label: "fxrates-test")
    logger.logLevel = .critical
    let app = try buildApplication(settings: settings, dependencies: dependencies, logger: logger)
    try await app.test(.live) { client in try await body(client) }
}

/// Polls `condition` every 10 ms until it holds, for at most ten seconds: for state that another task
/// changes and that offers nothing to await.
func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
    for _ in 0..<1000 {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(10))
    }
    return false
}

extension TestClientProtocol {
    /// GET `uri` and hand back the status, headers and the body parsed as a JSON object.
    func getJSON(_ uri: String, headers: HTTPFields = [:]) async throws -> (HTTPResponse.Status, HTTPFields, [String: Any]) {
        try await execute(uri: uri, method: .get, headers: headers) { response in
            let body = Data(buffer: response.body)
            let object = try JSONSerialization.jsonObject(with: body) as? [String: Any]
            return (response.status, response.headers, try #require(object))
        }
    }
}
