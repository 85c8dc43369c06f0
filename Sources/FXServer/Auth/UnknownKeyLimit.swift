import FXCore
import Hummingbird

/// Limits, per client address, the key lookups that find nothing, so that a caller presenting random keys
/// is stopped before the store is asked.
///
/// Each store lookup that finds no key costs its client address one request of `windows` in the shared
/// limiter (Redis, with its fallback, like every limit); once they are used up, the limiter's memory of
/// the denial refuses that address's uncached keys with a 429 before any query, on every replica that has
/// seen it denied. Found keys cost nothing, so clients with valid keys behind one address never use it up.
struct UnknownKeyLimit: Sendable {
    /// 60 a minute is 20 times what one mistyped or revoked key costs at one lookup per replica per
    /// negative TTL (60 s) on 3 replicas; a flood gets 60 queries a minute from the whole fleet, plus one
    /// per replica before each learns of the denial.
    static let windows = [RateLimitWindow(name: "minute", quota: 60, seconds: 60)]

    let gate: RateLimitGate
    let buckets: ClientAddressBuckets

    /// The limiter key of the request's client address.
    /// - Throws: a 400 problem when its address cannot be read, a 429 problem while it is denied.
    func admit(_ request: Request, context: FXRequestContext) throws(Problem) -> String {
        let key = "lookup:" + (try buckets.bucket(of: request, context: context))
        if let denial = gate.rememberedDenial(key) {
            throw Problem.tooManyUnknownKeys(denial)
        }
        return key
    }

    /// Counts a lookup that found no key against the address `admit` named.
    func recordUnknown(_ key: String) async {
        _ = await gate.acquire(key: key, windows: Self.windows, counted: false)
    }
}

extension Problem {
    static func tooManyUnknownKeys(_ decision: RateLimitDecision) -> Problem {
        let retry = decision.retryAfterSeconds ?? 1
        var problem = Problem(
            type: "urn:fxrates:problem:rate-limited", status: .tooManyRequests,
            detail: "Too many unknown API keys came from this address; keys not checked recently are refused for \(retry) s")
        problem.headers[.retryAfter] = String(retry)
        return problem
    }
}
