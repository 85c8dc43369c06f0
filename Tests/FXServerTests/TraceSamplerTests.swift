@testable import FXServer
import Testing

/// The sampler fxrates decides with before it asks swift-otel for a span. The decisions on incoming trace
/// contexts are proven against the receiver (`TraceSamplingTests`): such a context is made by swift-otel's
/// propagator only.
@Suite("Trace sampler")
struct TraceSamplerTests {
    static func sampler(_ name: String?, _ argument: String? = nil) throws -> TraceSampler {
        var environment = ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"]
        environment["OTEL_TRACES_SAMPLER"] = name
        environment["OTEL_TRACES_SAMPLER_ARG"] = argument
        return TraceSampler(try #require(try Settings(environment: environment).tracing))
    }

    @Test func eachSamplerOfTheSpecificationMapsToItsRule() throws {
        #expect(try Self.sampler(nil) == TraceSampler(rule: .always, followsParent: true))
        #expect(try Self.sampler("always_on") == TraceSampler(rule: .always, followsParent: false))
        #expect(try Self.sampler("always_off") == TraceSampler(rule: .never, followsParent: false))
        #expect(try Self.sampler("traceidratio") == TraceSampler(rule: .always, followsParent: false))
        #expect(try Self.sampler("traceidratio", "0.5") == TraceSampler(rule: .ratio(bound: 1 << 63), followsParent: false))
        #expect(try Self.sampler("parentbased_always_on") == TraceSampler(rule: .always, followsParent: true))
        #expect(try Self.sampler("parentbased_always_off") == TraceSampler(rule: .never, followsParent: true))
        #expect(try Self.sampler("parentbased_traceidratio", "0") == TraceSampler(rule: .never, followsParent: true))
        #expect(try Self.sampler("parentbased_traceidratio", "1") == TraceSampler(rule: .always, followsParent: true))
        #expect(try Self.sampler("parentbased_traceidratio", "0.01")
            == TraceSampler(rule: .ratio(bound: UInt64(0.01 * 0x1p64)), followsParent: true))
    }

    @Test func onlyASamplerThatNeverSamplesLetsSwiftOTelDropEverything() throws {
        #expect(try Self.sampler("always_off").samplesNothing)
        #expect(try Self.sampler("traceidratio", "0").samplesNothing)
        #expect(try !Self.sampler("parentbased_always_off").samplesNothing, "an incoming sampled trace is followed")
        #expect(try !Self.sampler("parentbased_traceidratio", "0").samplesNothing)
    }

    @Test func aRatioJustBelowOneStaysARatio() {
        #expect(TraceSampler.rule(ratio: 1.0.nextDown) == .ratio(bound: UInt64.max - 2047))
        #expect(TraceSampler.rule(ratio: .leastNonzeroMagnitude) == .ratio(bound: 0))
    }

    @Test(arguments: [(0.25, 1_000), (0.01, 250)])
    func rootsAreSampledWithTheRatiosProbability(ratio: Double, tolerance: Int) {
        // Seven standard deviations and more: a correct sampler fails this about once in 10¹¹ runs.
        let sampler = TraceSampler(rule: TraceSampler.rule(ratio: ratio), followsParent: true)
        let draws = 100_000
        let sampled = (0..<draws).count(where: { _ in sampler.samplesRoot() })
        #expect(abs(sampled - Int(ratio * Double(draws))) <= tolerance, "\(sampled) of \(draws)")
    }

    @Test func alwaysAndNeverAreConstant() {
        #expect((0..<1_000).allSatisfy { _ in TraceSampler(rule: .always, followsParent: false).samplesRoot() })
        #expect((0..<1_000).allSatisfy { _ in !TraceSampler(rule: .never, followsParent: true).samplesRoot() })
    }

    @Test func theRandomPartOfATraceIDIsItsLastEightBytes() {
        #expect(TraceSampler.randomPart(ofTraceID: "4bf92f3577b34da6ffffffffffffffff") == .max)
        #expect(TraceSampler.randomPart(ofTraceID: "4bf92f3577b34da60000000000000001") == 1)
        #expect(TraceSampler.randomPart(ofTraceID: "4bf92f3577b34da6") == nil)
    }
}
