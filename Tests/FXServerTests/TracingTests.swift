import FXTestSupport
import Foundation
import Testing

/// `fxrates serve` with tracing on, exporting over OTLP/HTTP to a receiver the test starts
/// (scripts/otlp-receiver.py, which decodes the protobuf with PyPI's opentelemetry-proto), with its rate
/// limits in a private Redis: the spans as a collector sees them.
///
/// The server runs as a process of its own because the tracer is process-global: bootstrapped here, it would
/// trace every other test of this process.
@Suite("OpenTelemetry traces", .enabled(if: TracedServer.canRun))
struct TracingTests {
    static let traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
    static let parentSpanID = "00f067aa0ba902b7"
    static let apiKey = "fx_" + String(repeating: "A", count: 43)

    @Test func aConvertIsAServerSpanWithItsRouteStatusAndLimiterChildContinuingTheIncomingTrace() async throws {
        try await TracedServer.run(scheduleDelayMilliseconds: 50) { server in
            let traced = try await server.get("/v1/convert?from=EUR&to=USD&amount=100&date=2026-10-30",
                                              headers: ["traceparent: 00-\(Self.traceID)-\(Self.parentSpanID)-01"])
            #expect(traced == 200)
            #expect(try await server.get("/v1/convert?from=EUR&to=JPY&amount=5",
                                         headers: ["X-API-Key: \(Self.apiKey)"]) == 401)
            #expect(try await server.get("/v1/rates?base=EUR") == 200)
            // The fourth request of the minute at the latest is refused.
            var statuses: [Int?] = []
            while statuses.count < 5, statuses.last != 429 {
                statuses.append(try await server.get("/v1/convert?from=EUR&to=USD&amount=7"))
            }
            #expect(statuses.last == 429, "\(statuses)")
            // swift-otel logs the carrier of a traceparent it cannot parse: the request's other headers must not
            // be in it. (`/health` is never limited, and answers before any key is looked at.)
            #expect(try await server.get("/health",
                                         headers: ["traceparent: 00-not-a-trace-context", "X-API-Key: \(Self.apiKey)"]) == 200)

            let spans = try await server.receiver.spans { spans in
                spans.contains { $0.traceID == Self.traceID && $0.isServer }
                    && spans.contains { $0.isServer && $0.statusCode == 429 }
                    && spans.contains { $0.name == "api key lookup" }
            }
            let request = try #require(spans.first { $0.traceID == Self.traceID && $0.isServer })
            #expect(request.name == "GET /v1/convert")
            #expect(request.parentSpanID == Self.parentSpanID, "the incoming traceparent is continued")
            #expect(request.attributes["http.route"] as? String == "/v1/convert")
            #expect(request.attributes["http.request.method"] as? String == "GET")
            #expect(request.attributes["url.path"] as? String == "/v1/convert")
            #expect(request.attributes["http.response.status_code"] as? Int == 200)
            #expect(request.resource["service.name"] as? String == "fxrates-tracing-test")

            let limiter = try #require(spans.first { $0.name == "rate limit check" && $0.parentSpanID == request.spanID })
            #expect(limiter.traceID == Self.traceID)
            #expect(limiter.attributes["db.system.name"] as? String == "redis")

            let limited = try #require(spans.first { $0.isServer && $0.statusCode == 429 })
            #expect(limited.name == "GET /v1/convert")
            #expect(limited.status == 0, "a 4xx leaves a server span's status unset")
            #expect(spans.contains { $0.name == "rate limit check" && $0.parentSpanID == limited.spanID
                && $0.attributes["fxrates.rate_limit.allowed"] as? Bool == false })

            let lookup = try #require(spans.first { $0.name == "api key lookup" })
            #expect(lookup.attributes["fxrates.api_key.source"] as? String != nil)

            let everything = try String(decoding: JSONSerialization.data(withJSONObject: spans.map(\.json)), as: UTF8.self)
            #expect(!everything.contains(Self.apiKey), "no span carries the API key")
            #expect(!everything.contains("amount="), "no span carries the query string")

            #expect(!server.server.text.contains(Self.apiKey), "no log line carries the API key")
            let logged = try server.logLines().first { $0["msg"] as? String == "request" && $0["trace_id"] as? String == Self.traceID }
            #expect(logged?["span_id"] as? String == request.spanID, "the request's log line names its span")
        }
    }

    @Test func spansStillInTheBatchAreExportedOnGracefulShutdown() async throws {
        // A schedule far longer than the test: only the shutdown can have sent the span.
        try await TracedServer.run(scheduleDelayMilliseconds: 600_000) { server in
            #expect(try await server.get("/v1/currencies") == 200)
            try await server.stop()
            let spans = try await server.receiver.spans { spans in spans.contains { $0.name == "GET /v1/currencies" } }
            #expect(spans.contains { $0.name == "GET /v1/currencies" && $0.statusCode == 200 })
        }
    }
}

/// A span as the receiver decoded it.
struct ReceivedSpan {
    let json: [String: Any]
    var name: String { json["name"] as? String ?? "" }
    var traceID: String { json["trace_id"] as? String ?? "" }
    var spanID: String { json["span_id"] as? String ?? "" }
    var parentSpanID: String { json["parent_span_id"] as? String ?? "" }
    /// 2 is SPAN_KIND_SERVER.
    var isServer: Bool { json["kind"] as? Int == 2 }
    /// 0 unset, 1 ok, 2 error.
    var status: Int { json["status_code"] as? Int ?? -1 }
    var attributes: [String: Any] { json["attributes"] as? [String: Any] ?? [:] }
    var resource: [String: Any] { json["resource"] as? [String: Any] ?? [:] }
    var statusCode: Int? { attributes["http.response.status_code"] as? Int }
}

/// A child process with its output in files, killed if the test has not stopped it.
final class ChildProcess: @unchecked Sendable {
    let process = Process()
    let output: URL

    init(_ executable: URL, _ arguments: [String], environment: [String: String], output: URL) throws {
        self.output = output
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment.merging(["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]) { own, _ in own }
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = process.standardOutput
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// SIGTERM, then waits (bounded) for the exit.
    func stop(within limit: Duration = .seconds(30)) async throws {
        process.terminate()
        let exited = try await poll(for: limit) { self.process.isRunning ? nil : true }
        #expect(exited == true, "\(process.executableURL?.lastPathComponent ?? "") exited on SIGTERM")
    }

    func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
    }

    var text: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }
}

/// Calls `probe` every 20 ms until it answers, for at most `limit`.
func poll<T>(for limit: Duration, _ probe: () async throws -> T?) async throws -> T? {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if let answer = try await probe() { return answer }
        try await Task.sleep(for: .milliseconds(20))
    }
    return nil
}

/// scripts/otlp-receiver.py on a free port.
struct OTLPReceiver {
    let process: ChildProcess
    let port: Int

    static let script = Manifests.root.appendingPathComponent("scripts/otlp-receiver.py")
    static let python = Manifests.root.appendingPathComponent(".venv/bin/python")

    static func start(in directory: URL) async throws -> OTLPReceiver {
        let portFile = directory.appending(path: "receiver-port")
        let process = try ChildProcess(python, [script.path, portFile.path], environment: [:],
                                       output: directory.appending(path: "receiver.log"))
        let port = try await poll(for: .seconds(30)) {
            (try? String(contentsOf: portFile, encoding: .utf8)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        guard let port else {
            process.kill()
            throw ReceiverError(log: process.text)
        }
        return OTLPReceiver(process: process, port: port)
    }

    /// The spans received so far, once `satisfy` holds of them (within 30 s; the last answer otherwise).
    func spans(until satisfy: ([ReceivedSpan]) -> Bool) async throws -> [ReceivedSpan] {
        var last: [ReceivedSpan] = []
        let matched = try await poll(for: .seconds(30)) { () -> [ReceivedSpan]? in
            let response = try await RawConnection.exchange(port: port, "/spans")
            let body = Data(response.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n").utf8)
            last = ((try? JSONSerialization.jsonObject(with: body)) as? [[String: Any]] ?? []).map(ReceivedSpan.init)
            return satisfy(last) ? last : nil
        }
        #expect(matched != nil, "the expected spans arrived; got \(last.map(\.name))")
        return last
    }

    struct ReceiverError: Error, CustomStringConvertible {
        let log: String
        var description: String { "the OTLP receiver did not start (run scripts/setup.sh test): \(log)" }
    }
}

/// The `fxrates` binary serving the embedded rates on a free port, tracing to its own receiver, limiting through
/// its own Redis (3 requests a minute for anonymous callers).
struct TracedServer {
    let server: ChildProcess
    let port: Int
    let receiver: OTLPReceiver

    static var canRun: Bool {
        FileManager.default.isExecutableFile(atPath: OTLPReceiver.python.path)
            && FileManager.default.fileExists(atPath: "/usr/bin/redis-server")
    }

    /// - Parameter environment: more variables for the server, e.g. `OTEL_TRACES_SAMPLER`.
    static func run(scheduleDelayMilliseconds: Int, environment: [String: String] = [:],
                    _ body: (TracedServer) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appending(path: "fxrates-tracing-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let redis = try await RedisServerProcess()
        defer { redis.destroy() }
        let receiver = try await OTLPReceiver.start(in: directory)
        defer { receiver.process.kill() }
        let server = try ChildProcess(CommandLineTests.binary, ["serve"], environment: [
            "FX_HOST": "127.0.0.1", "FX_PORT": "0", "REDIS_URL": redis.url, "FX_ANON_LIMITS": "3/minute",
            // Redis, not the fallback after a timeout on a loaded machine, must decide: the test reads its span.
            "FX_REDIS_TIMEOUT_MS": "2000",
            "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:\(receiver.port)",
            "OTEL_SERVICE_NAME": "fxrates-tracing-test",
            "OTEL_BSP_SCHEDULE_DELAY": "\(scheduleDelayMilliseconds)",
        ].merging(environment) { _, given in given }, output: directory.appending(path: "server.log"))
        defer { server.kill() }
        let port = try await poll(for: .seconds(60)) {
            server.text.firstMatch(of: /listening on 127\.0\.0\.1:([0-9]+)/).flatMap { Int($0.1) }
        }
        let started = try #require(port, "the server started: \(server.text)")
        try await body(TracedServer(server: server, port: started, receiver: receiver))
    }

    /// GET `target` with `headers` on a fresh connection; the status code.
    func get(_ target: String, headers: [String] = []) async throws -> Int? {
        let head = (["GET \(target) HTTP/1.1", "Host: 127.0.0.1", "Connection: close"] + headers).joined(separator: "\r\n")
        let connection = try await RawConnection.open(port: port, sending: head + "\r\n\r\n")
        _ = await connection.isClosed(within: .seconds(30))
        return statusCode(of: connection.text)
    }

    func stop() async throws {
        try await server.stop()
    }

    /// The server's JSON log lines so far.
    func logLines() throws -> [[String: Any]] {
        server.text.split(separator: "\n").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }
    }
}
