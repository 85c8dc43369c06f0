import FXCore
import Tracing

/// A `RateHistorySource` whose snapshot loads are spans: a whole reload on start, on refresh and on an
/// invalidation, or one day's after an admin write. Loads are rare, so they are traced as roots when no
/// request is around (a reload by the refresher or the invalidation listener).
struct TracedRateHistory: RateHistorySource {
    let loader: any RateHistorySource
    /// `redis` when the loader reads the snapshot's copy in Redis first, `postgresql` otherwise.
    let system: String

    func load(day: Day?) async throws -> RateHistory {
        try await withSpan(day == nil ? "rates snapshot load" : "rates day load", ofKind: .client) { span in
            span.attributes["db.system.name"] = system
            if let day { span.attributes["fxrates.rates.day"] = day.description }
            return try await loader.load(day: day)
        }
    }

    func fingerprint() async throws -> String {
        try await loader.fingerprint()
    }
}
