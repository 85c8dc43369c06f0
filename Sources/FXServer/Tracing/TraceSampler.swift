import OTel
import Synchronization
import Tracing

/// The `OTEL_TRACES_SAMPLER` decision, made by fxrates before any span exists, so that a request the sampler
/// drops costs a counter step and a comparison: no span, no ids, no context.
///
/// swift-otel decides only after drawing a random trace id and span id from the system's generator behind a
/// lock (a `getrandom` call each) and making a span, for every request, which cost about 10 % of
/// `/v1/convert`'s throughput at 1 % sampling. Its samplers and id generator cannot be replaced, so fxrates
/// decides here and bootstraps swift-otel to record every span it is asked for (`TraceExport`).
///
/// The semantics are the specification's: `always_on` and `always_off`; `traceidratio` samples a trace that
/// begins here with the ratio's probability, and an incoming trace by its trace id (the same trace id always
/// gets the same answer), ignoring the parent's sampled flag; the `parentbased_*` samplers follow an incoming
/// parent's sampled flag and use their root sampler only for a trace that begins here. One liberty: a trace that
/// begins here is sampled by a draw of its own, not by the trace id swift-otel then makes, so a service
/// downstream that re-sampled the trace by its id with the same ratio could decide otherwise; fxrates calls no
/// traced service, and the `parentbased_*` samplers downstream follow its flag.
struct TraceSampler: Sendable, Equatable {
    enum Rule: Sendable, Equatable {
        case always
        case never
        /// Sampled when a uniform 64-bit number is below `bound` (ratio × 2⁶⁴).
        case ratio(bound: UInt64)
    }

    /// The rule for a trace that begins here, and for an incoming one when not `followsParent`.
    let rule: Rule
    /// The `parentbased_*` samplers: an incoming parent's sampled flag decides.
    let followsParent: Bool

    init(rule: Rule, followsParent: Bool) {
        self.rule = rule
        self.followsParent = followsParent
    }

    /// From the checked `OTEL_TRACES_SAMPLER` (`parentbased_always_on` when unset) and `OTEL_TRACES_SAMPLER_ARG`
    /// (1 when unset), as swift-otel reads them.
    init(_ settings: TracingSettings) {
        let name = settings.sampler ?? "parentbased_always_on"
        followsParent = name.hasPrefix("parentbased_")
        rule = switch name.dropFirst(followsParent ? "parentbased_".count : 0) {
        case "always_off": .never
        case "traceidratio": Self.rule(ratio: settings.samplerArgument ?? 1)
        default: .always
        }
    }

    static func rule(ratio: Double) -> Rule {
        if !(ratio > 0) { return .never }
        if ratio >= 1 { return .always }
        // Exact: a power of two scales a double without rounding, so the bound stays below 2⁶⁴.
        return .ratio(bound: UInt64(ratio * 0x1p64))
    }

    /// `always_off`, `traceidratio` 0: no span at all, whatever comes in.
    var samplesNothing: Bool { rule == .never && !followsParent }

    /// Whether a trace that begins here (no incoming parent) is sampled.
    func samplesRoot() -> Bool {
        switch rule {
        case .always: true
        case .never: false
        case .ratio(let bound): SamplingSequence.next() < bound
        }
    }

    /// Whether a span continuing `parent` (an incoming trace context, or a request's) is sampled; a context
    /// without a trace (no parent, or one that did not parse) begins a trace.
    func samples(continuing parent: InstrumentationContext) -> Bool {
        guard let traceID = parent.otelTraceID else { return samplesRoot() }
        if followsParent { return parent.otelIsSampled }
        switch rule {
        case .always: return true
        case .never: return false
        case .ratio(let bound): return (Self.randomPart(ofTraceID: traceID) ?? 0) < bound
        }
    }

    /// The trace id's last 8 bytes as a number: they hold the 7 that W3C Trace Context level 2 requires random.
    static func randomPart(ofTraceID hex: String) -> UInt64? {
        guard hex.utf8.count == 32 else { return nil }
        return UInt64(hex.dropFirst(16), radix: 16)
    }
}

/// A process-wide sequence of uniform 64-bit numbers for root sampling decisions: SplitMix64, a Weyl sequence
/// (one relaxed atomic add, no lock, no system call) through a bijective mixer, seeded once from the system's
/// generator. Not for ids or secrets: only whether a trace is recorded, which a caller can force anyway
/// with a sampled `traceparent`.
enum SamplingSequence {
    private static let state = Atomic(UInt64.random(in: .min ... .max))

    static func next() -> UInt64 {
        mix(state.wrappingAdd(0x9E37_79B9_7F4A_7C15, ordering: .relaxed).newValue)
    }

    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
