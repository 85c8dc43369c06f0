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

/// The environment of test applications: the tests' fixed "today", and the bundled store loaded once,
/// ready to serve.
func testEnvironment(store: any RateStore = bundledStore) -> ApplicationEnvironment {
    var environment = ApplicationEnvironment()
    environment.today = { testToday }
    environment.rateStore = store
    environment.readiness.markRatesLoaded()
    return environment
}

/// Runs `body` against a live server (real HTTP on a loopback port) built by `buildApplication`, as
/// `fxrates serve` builds it, with the embedded settings and `store` in place of the bundled history.
/// - Parameter readiness: for a store that is not loaded yet; ready otherwise.
/// - Parameter settings: the embedded defaults unless a test needs others; the port is always a free one.
func withLiveApp(
    store: any RateStore = bundledStore, readiness: Readiness? = nil, admin: AdminAccess? = nil,
    settings: Settings = Settings(), _ body: @Sendable (any TestClientProtocol) async throws -> Void
) async throws {
    var environment = testEnvironment(store: store)
    environment.admin = admin
    if let readiness { environment.readiness = readiness }
    var settings = settings
    settings.port = 0
    var logger = Logger(label: "fxrates-test")
    logger.logLevel = .critical
    let app = try buildApplication(settings: settings, environment: environment, logger: logger)
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
