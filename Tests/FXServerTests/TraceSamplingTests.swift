import Foundation
import Testing

/// Each `OTEL_TRACES_SAMPLER` against the receiver, as the README promises it: which of a request that begins a
/// trace, one that continues a sampled `traceparent` and one that continues an unsampled one are exported, and
/// that a request's log line carries trace ids exactly when its span was exported.
///
/// The server is stopped before the spans are read: it exports what is left in the batch on a graceful
/// shutdown, so a span that is not there by then was never made.
@Suite("Trace sampling", .enabled(if: TracedServer.canRun))
struct TraceSamplingTests {
    /// The last 8 bytes decide `traceidratio` for an incoming trace: all ones is never below a ratio's bound,
    /// 1 is below any ratio's but 0's. The flags say the opposite, so a sampler that follows them would differ.
    static let sampledTraceID = "4bf92f3577b34da6ffffffffffffffff"
    static let unsampledTraceID = "4bf92f3577b34da60000000000000001"

    struct Case: CustomTestStringConvertible, Sendable {
        let sampler: String
        let argument: String?
        /// Whether each request is exported; nil leaves it unchecked (a root's trace id is random).
        let root: Bool?
        let sampledParent: Bool
        let unsampledParent: Bool

        var testDescription: String { [sampler, argument].compactMap { $0 }.joined(separator: " ") }
    }

    @Test(arguments: [
        Case(sampler: "parentbased_traceidratio", argument: "0", root: false, sampledParent: true, unsampledParent: false),
        Case(sampler: "parentbased_traceidratio", argument: "1", root: true, sampledParent: true, unsampledParent: false),
        Case(sampler: "parentbased_always_off", argument: nil, root: false, sampledParent: true, unsampledParent: false),
        Case(sampler: "always_on", argument: nil, root: true, sampledParent: true, unsampledParent: true),
        Case(sampler: "always_off", argument: nil, root: false, sampledParent: false, unsampledParent: false),
        Case(sampler: "traceidratio", argument: "0.5", root: nil, sampledParent: false, unsampledParent: true),
    ])
    func aSamplerExportsWhatTheSpecificationSays(_ expected: Case) async throws {
        var environment = ["OTEL_TRACES_SAMPLER": expected.sampler]
        environment["OTEL_TRACES_SAMPLER_ARG"] = expected.argument
        try await TracedServer.run(scheduleDelayMilliseconds: 50, environment: environment) { server in
            #expect(try await server.get("/v1/currencies") == 200)
            #expect(try await server.get("/v1/rates?base=EUR",
                                         headers: ["traceparent: 00-\(Self.sampledTraceID)-00f067aa0ba902b7-01"]) == 200)
            #expect(try await server.get("/v1/rates?base=USD",
                                         headers: ["traceparent: 00-\(Self.unsampledTraceID)-00f067aa0ba902b7-00"]) == 200)
            try await server.stop()
            let spans = try await server.receiver.spans { _ in true }.filter(\.isServer)

            let root = spans.contains { $0.name == "GET /v1/currencies" }
            if let exported = expected.root { #expect(root == exported, "the request that begins a trace") }
            #expect(spans.contains { $0.traceID == Self.sampledTraceID } == expected.sampledParent,
                    "the request with a sampled parent")
            #expect(spans.contains { $0.traceID == Self.unsampledTraceID } == expected.unsampledParent,
                    "the request with an unsampled parent")
            let continued = spans.filter { [Self.sampledTraceID, Self.unsampledTraceID].contains($0.traceID) }
            #expect(continued.allSatisfy { $0.parentSpanID == "00f067aa0ba902b7" })

            let requestLines = try server.logLines().filter { $0["msg"] as? String == "request" }
            #expect(requestLines.count == 3)
            let loggedTraces = Set(requestLines.compactMap { $0["trace_id"] as? String })
            #expect(loggedTraces == Set(spans.map(\.traceID)), "log lines carry the ids of exported spans only")
            for line in requestLines where line["trace_id"] != nil {
                #expect(spans.contains { $0.traceID == line["trace_id"] as? String && $0.spanID == line["span_id"] as? String })
            }
        }
    }
}
