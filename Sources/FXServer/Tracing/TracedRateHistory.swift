import FXCore
import Tracing

/// A `RateHistorySource` whose snapshot loads are spans: a whole reload on start, on refresh and on an
/// invalidation, or one day's after an admin write. A load outside a sampled request (a reload by the
/// refresher or the invalidation listener, or an admin write the sampler dropped) begins a trace of its own
/// when the sampler samples it as a root.
struct TracedRateHistory: RateHistorySource {
    let loader: any RateHistorySource
    /// `redis` when the loader reads the snapshot's copy in Redis first, `postgresql` otherwise.
    let system: String
    let sampler: TraceSampler

    func load(day: Day?) async throws -> RateHistory {
        // swift-otel records every span it is asked for (`TraceExport`), so a root must be sampled here.
        guard InstrumentationContext.current != nil || sampler.samplesRoot() else {
            return try await loader.load(day: day)
        }
        return try await withSpan(day == nil ? "rates snapshot load" : "rates day load", ofKind: .client) { span in
            span.attributes["db.system.name"] = system
            if let day { span.attributes["fxrates.rates.day"] = day.description }
            return try await loader.load(day: day)
        }
    }

    func fingerprint() async throws -> String {
        try await loader.fingerprint()
    }
}
