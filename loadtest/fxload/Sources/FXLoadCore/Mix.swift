/// A weighted set of request templates, read from a JSON mix file (see loadtest/mixes/README.md) or made of
/// `--path` flags. Which template, path, key and forwarded address request `i` uses is a pure function of `i`
/// and the seed, so a run is reproducible and workers need no shared random state.
public struct Mix: Sendable, Equatable {
    public let templates: [RequestTemplate]
    let cumulativeWeights: [UInt64]
    public let seed: UInt64

    public init(templates: [RequestTemplate], seed: UInt64 = 0x5EED) throws(MixError) {
        guard !templates.isEmpty else { throw .invalid("a mix needs at least one template") }
        guard templates.count <= 256 else { throw .invalid("at most 256 templates") }
        var total: UInt64 = 0
        var cumulative: [UInt64] = []
        for template in templates {
            total += template.weight
            cumulative.append(total)
        }
        self.templates = templates
        cumulativeWeights = cumulative
        self.seed = seed
    }

    /// One anonymous template per path, equally weighted.
    public init(paths: [String]) throws(MixError) {
        try self.init(templates: paths.map { path throws(MixError) in
            try RequestTemplate(name: path, weight: 1, paths: [path])
        })
    }

    public func plan(for index: Int) -> RequestPlan {
        var random = SplitMix64(seed: seed ^ UInt64(truncatingIfNeeded: index) &* 0x9E37_79B9_7F4A_7C15)
        let total = cumulativeWeights[cumulativeWeights.count - 1]
        let ticket = random.next() % total
        let templateIndex = Self.firstIndex(in: cumulativeWeights, above: ticket)
        let template = templates[templateIndex]
        let path = Int(random.next() % UInt64(template.paths.count))
        let key = template.apiKeys.isEmpty ? nil : Int(random.next() % UInt64(template.apiKeys.count))
        let forwarded = template.forwardedForPool.map { pool in
            template.forwardedForBase &+ UInt32(random.next() % UInt64(pool))
        }
        return RequestPlan(template: templateIndex, path: path, apiKey: key, forwardedFor: forwarded)
    }

    /// The first position whose cumulative weight exceeds `ticket` (binary search; weights are positive).
    static func firstIndex(in cumulative: [UInt64], above ticket: UInt64) -> Int {
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] > ticket { high = middle } else { low = middle + 1 }
        }
        return low
    }
}

/// What one request is made of, as indexes into its template.
public struct RequestPlan: Sendable, Equatable {
    public let template: Int
    public let path: Int
    public let apiKey: Int?
    /// An IPv4 address as a number, sent as `X-Forwarded-For`.
    public let forwardedFor: UInt32?
}

public enum MixError: Error, Equatable, CustomStringConvertible {
    case invalid(String)
    public var description: String {
        switch self { case .invalid(let message): message }
    }
}

/// The small pseudo-random generator of Java's SplittableRandom: fast, and good enough to spread a mix.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
