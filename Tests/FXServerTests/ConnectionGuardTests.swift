import FXCore
import FXLifecycle
@testable import FXServer
import Foundation
import Glibc
import Testing

/// `FX_HEADER_TIMEOUT_SECONDS`, `FX_IDLE_TIMEOUT_SECONDS` and `FX_MAX_CONNECTIONS` against a live server
/// built by `buildApplication`, over raw sockets that send half a request head and then nothing.
@Suite("Connection bounds: slowloris")
struct ConnectionGuardTests {
    private static let partialHead = "GET /v1/convert?from=USD&to=EUR&amount=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "

    private func settings(headerTimeout: Int, idleTimeout: Int = 75, maxConnections: Int = 4096) -> Settings {
        var settings = Settings()
        settings.headerTimeoutSeconds = headerTimeout
        settings.idleTimeoutSeconds = idleTimeout
        settings.maxConnections = maxConnections
        return settings
    }

    /// Hundreds of stalled sockets, most of them past the cap: fresh probes and requests are answered
    /// within a second, and every stalled socket is closed by the header timeout. The timeout is 6 s so that
    /// the stalled sockets are all still open when the fresh requests run: under the parallel suite, opening
    /// 2,000 of them once took over 2 s, and with a 2 s timeout the first were closed before the cap was reached.
    /// The test process holds both ends of each socket. 600 sockets against a cap of 150 test the same bound
    /// as thousands did, and keep the process's descriptors well under the ~1,800 at which Foundation's
    /// `Process.run()` in another suite crashed (a bad read while it listed /proc/self/fd, in CI).
    @Test func hundredsOfStalledSocketsNeitherBlockNewRequestsNorOutliveTheHeaderTimeout() async throws {
        let count = Self.socketsTheFileLimitAllows(wanted: 600)
        try await withLiveApp(settings: settings(headerTimeout: 6, maxConnections: 150)) { http in
            let port = try #require(http.port)
            let stalled = try await Self.openStalled(count, port: port)
            let health = try await Self.timedExchange(port: port, "/health")
            let convert = try await Self.timedExchange(port: port, "/v1/convert?from=USD&to=EUR&amount=1")
            let stillOpen = stalled.filter(\.isActive).count
            #expect(stillOpen > 150, "the stalled sockets should still be held while the fresh requests run")
            #expect(statusCode(of: health.response) == 200)
            // Well inside the 6 s header timeout that a blocked request would wait out; not 1 s, which the
            // parallel suite on 2 cores once exceeded (1.04 s).
            #expect(health.elapsed < .seconds(3))
            #expect(statusCode(of: convert.response) == 503, "past FX_MAX_CONNECTIONS")
            #expect(convert.response.contains("application/problem+json"))
            #expect(convert.response.lowercased().contains("connection: close"))
            #expect(convert.elapsed < .seconds(3))

            let closed = await withTaskGroup(of: Bool.self) { group in
                for connection in stalled { group.addTask { await connection.isClosed(within: .seconds(15)) } }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(closed == count, "every stalled socket is closed by the server")
            // Every closed connection was counted out: the cap no longer refuses.
            let after = try await RawConnection.exchange(port: port, "/v1/convert?from=USD&to=EUR&amount=1")
            #expect(statusCode(of: after) == 200)
        }
    }

    /// A byte every 300 ms does not restart the 1 s header timeout.
    @Test func aTrickledHeadIsClosedByTheHeaderTimeout() async throws {
        try await withLiveApp(settings: settings(headerTimeout: 1)) { http in
            let connection = try await RawConnection.open(
                port: try #require(http.port), sending: "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            let trickle = "X-Trickle: 0123456789abcdefghijklmnopqrstuvwxyz"
            var sent = 0
            // The client's own pace, not a wait for an event: it is what the attack does.
            for byte in trickle where connection.isActive {
                try? await connection.send(String(byte))
                sent += 1
                try await Task.sleep(for: .milliseconds(300))
            }
            #expect(sent < trickle.count, "all \(sent) bytes, 300 ms apart, went out on an open connection")
            #expect(await connection.isClosed(within: .seconds(5)))
            #expect(statusCode(of: connection.text) == nil, "closed without an answer")
        }
    }

    /// A request whose head arrived is not cut by the header timeout however long its handler takes:
    /// the handler is held until another connection's header timeout (started later) has closed it.
    @Test func aSlowHandlerOutlivesTheHeaderTimeout() async throws {
        let store = HeldRateStore()
        // 3 s, not 1: under the parallel suite (another test holds 2,000 sockets) the slow request's own
        // head can take over a second to be read after its connect.
        try await withLiveApp(store: store, settings: settings(headerTimeout: 3)) { http in
            let port = try #require(http.port)
            let slow = try await RawConnection.open(
                port: port,
                sending: "GET /v1/convert?from=USD&to=EUR&amount=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            // Bounded, so that a slow request closed before its handler ran fails the test instead of hanging it.
            try await withDeadline(.now + .seconds(20), timeoutError: HandlerNotEntered()) { await store.entered() }
            let stalled = try await RawConnection.open(port: port, sending: Self.partialHead)
            #expect(await stalled.isClosed(within: .seconds(10)))
            #expect(slow.isActive, "the slow request's connection was cut")
            store.release()
            #expect(await slow.isClosed(within: .seconds(10)))
            #expect(statusCode(of: slow.text) == 200)
        }
    }

    /// A kept-alive connection outlives the 3 s header timeout after its response and is closed by the
    /// 8 s idle timeout. (With 1 s and 4 s, a loaded CI machine once read the request's head more than a
    /// second after the connect, so the header timeout closed it before the test could see anything.)
    @Test func anIdleKeptAliveConnectionIsClosedByTheIdleTimeoutNotTheHeaderTimeout() async throws {
        try await withLiveApp(settings: settings(headerTimeout: 3, idleTimeout: 8)) { http in
            let connection = try await RawConnection.open(
                port: try #require(http.port), sending: "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            #expect(await connection.isClosed(within: .seconds(20)))
            #expect(statusCode(of: connection.text) == 200)
            let idle = try #require(connection.openAfterLastRead)
            // Past the header timeout, which would have closed it at most 3 s after the client's last read; short
            // of the idle timeout by how late this loaded client read the response (4.7 s once in the full suite).
            #expect(idle >= .milliseconds(3500), "closed \(idle) after the response: by the header timeout")
        }
    }

    /// Past the cap a request gets the 503 problem and the probes their usual answers; once the held
    /// connections close, requests are served again.
    @Test func pastTheCapOnlyTheProbesAreServed() async throws {
        try await withLiveApp(settings: settings(headerTimeout: 60, maxConnections: 2)) { http in
            let port = try #require(http.port)
            let held = try await Self.openStalled(2, port: port)
            let refused = try await RawConnection.exchange(port: port, "/v1/currencies")
            #expect(statusCode(of: refused) == 503)
            #expect(refused.contains("Retry-After: 5") || refused.contains("retry-after: 5"))
            #expect(refused.contains(#""status":503"#))
            for probe in ["/health", "/ready", "/health?verbose=1"] {
                let answer = try await RawConnection.exchange(port: port, probe)
                #expect(statusCode(of: answer) == 200, "\(probe)")
                #expect(answer.lowercased().contains("connection: close"), "\(probe)")
            }
            for connection in held { connection.close() }
            #expect(try await eventually {
                statusCode(of: try await RawConnection.exchange(port: port, "/v1/currencies")) == 200
            })
        }
    }

    private static func openStalled(_ count: Int, port: Int) async throws -> [RawConnection] {
        try await withThrowingTaskGroup(of: RawConnection.self) { group in
            var opened: [RawConnection] = []
            for index in 0..<count {
                // At most 64 connects in flight: the listen backlog is 256.
                if index >= 64, let connection = try await group.next() { opened.append(connection) }
                group.addTask { try await RawConnection.open(port: port, sending: partialHead) }
            }
            for try await connection in group { opened.append(connection) }
            return opened
        }
    }

    private static func timedExchange(port: Int, _ target: String) async throws -> (response: String, elapsed: Duration) {
        let start = ContinuousClock.now
        let response = try await RawConnection.exchange(port: port, target)
        return (response, ContinuousClock.now - start)
    }

    /// Raises the soft fd limit to the hard one where allowed; each socket costs this process two fds.
    private static func socketsTheFileLimitAllows(wanted: Int) -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return min(wanted, 200) }
        if limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = min(limit.rlim_max, 65_536)
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
            _ = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        let spare = Int(clamping: limit.rlim_cur) - 512
        return max(100, min(wanted, spare / 2))
    }
}

/// The bundled history, with `observation` held until `release()`: a handler as slow as a test needs.
private struct HandlerNotEntered: Error, CustomStringConvertible {
    var description: String { "the slow request never reached its handler within 20 s" }
}

private final class HeldRateStore: RateStore {
    private let enteredStream: AsyncStream<Void>
    private let enteredContinuation: AsyncStream<Void>.Continuation
    private let releaseStream: AsyncStream<Void>
    private let releaseContinuation: AsyncStream<Void>.Continuation

    init() {
        (enteredStream, enteredContinuation) = AsyncStream.makeStream()
        (releaseStream, releaseContinuation) = AsyncStream.makeStream()
    }

    func entered() async {
        for await _ in enteredStream { return }
    }

    func release() {
        releaseContinuation.finish()
    }

    func observation(onOrBefore day: Day?, notBefore earliest: Day?, quoting required: [CurrencyCode]) async throws
        -> RateTable? {
        enteredContinuation.yield()
        for await _ in releaseStream {}
        return bundledStore.observation(onOrBefore: day, notBefore: earliest, quoting: required)
    }

    func observations(from start: Day, through end: Day) async throws -> [RateTable] {
        bundledStore.observations(from: start, through: end)
    }

    func coverage() async throws -> [CurrencyCode: ClosedRange<Day>] {
        bundledStore.coverage()
    }
}
