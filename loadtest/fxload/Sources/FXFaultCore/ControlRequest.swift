/// The control API that loadtest/faults/ctl speaks: `GET /status`, `GET /NAME/FAULT?arg=value` (`/NAME/clear`
/// ends the fault). Parsed from the request target alone; the method is not checked (ctl only sends GET).
public enum ControlRequest: Sendable, Equatable {
    case status
    case apply(proxy: String, fault: Fault)

    /// What a bad request gets: 404 for a path that names nothing, 400 for a bad fault or argument.
    public struct Rejection: Error, Sendable, Equatable {
        public let status: Int
        public let message: String
    }

    /// Upper bounds, so that no argument overflows a deadline: 10 minutes of hold, 10 GiB per second.
    static let maxMillis = 600_000.0
    static let maxKiBPerSecond = 10_485_760.0

    public init(target: String, proxies: Set<String>) throws(Rejection) {
        let pathAndQuery = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let path = pathAndQuery[0].split(separator: "/")
        let arguments = Self.arguments(pathAndQuery.count > 1 ? pathAndQuery[1] : "")
        if path == ["status"] {
            self = .status
            return
        }
        guard path.count == 2, proxies.contains(String(path[0])) else {
            throw Rejection(status: 404, message: "GET /status or /NAME/FAULT?arg=value")
        }
        self = .apply(proxy: String(path[0]), fault: try Self.fault(String(path[1]), arguments))
    }

    private static func fault(_ kind: String, _ arguments: [String: String]) throws(Rejection) -> Fault {
        switch kind {
        case "clear":
            return .none
        case "latency":
            let millis = try number("ms", arguments, default: 0, in: 0...maxMillis)
            return .latency(millis: millis, jitterMillis: try number("jitter", arguments, default: 0, in: 0...maxMillis))
        case "slow-close":
            return .slowClose(millis: try number("ms", arguments, default: 1000, in: 0...maxMillis))
        case "bandwidth":
            let kib = try number("kbps", arguments, default: nil, in: 0...maxKiBPerSecond)
            guard kib > 0 else { throw Rejection(status: 400, message: "bandwidth needs kbps > 0") }
            return .bandwidth(kibPerSecond: kib)
        case "down": return .down
        case "blackhole": return .blackhole
        case "reset-peer": return .resetPeer
        default: throw Rejection(status: 400, message: "unknown fault \(kind.prefix(64))")
        }
    }

    private static func number(
        _ name: String, _ arguments: [String: String], default fallback: Double?, in range: ClosedRange<Double>
    ) throws(Rejection) -> Double {
        guard let text = arguments[name] else {
            guard let fallback else { throw Rejection(status: 400, message: "\(name) is required") }
            return fallback
        }
        guard let value = Double(text), value.isFinite, range.contains(value) else {
            throw Rejection(status: 400, message: "\(name) is a number from \(Int(range.lowerBound)) to \(Int(range.upperBound))")
        }
        return value
    }

    /// `a=1&b=2`: the first of a repeated name, empty values left out (an empty argument takes its default). Nothing is
    /// percent-decoded: every argument is a plain number, so an encoded one is a bad number (400).
    static func arguments(_ query: Substring) -> [String: String] {
        var arguments: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let nameAndValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard nameAndValue.count == 2, !nameAndValue[1].isEmpty else { continue }
            let name = String(nameAndValue[0])
            if arguments[name] == nil { arguments[name] = String(nameAndValue[1]) }
        }
        return arguments
    }
}
