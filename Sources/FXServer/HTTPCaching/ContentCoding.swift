/// The content coding a response is sent in, chosen from the request's `Accept-Encoding` (RFC 9110 §12.5.3).
enum ContentCoding: Sendable, Equatable {
    case identity
    case gzip

    /// gzip when the client accepts it (`gzip`, `x-gzip` or `*` with a q-value above 0) and does not weigh
    /// the uncoded body (`identity;q=…`, or `*`) higher; identity otherwise, also when it refuses both
    /// (`identity;q=0`): the body uncoded is still a better answer than a 406. No header means identity.
    init(acceptEncoding fieldValues: [String]) {
        var gzip: Double?
        var identity: Double?
        var any: Double?
        for value in fieldValues {
            for element in value.split(separator: ",") {
                guard let element = Self.parse(element) else { continue }
                switch element.coding {
                case "gzip", "x-gzip": gzip = max(gzip ?? 0, element.quality)
                case "identity": identity = element.quality
                case "*": any = element.quality
                default: break
                }
            }
        }
        let gzipQuality = gzip ?? any ?? 0
        // Identity only competes when the client gave it a weight (itself or through `*`).
        let identityQuality = identity ?? any ?? 0
        self = gzipQuality > 0 && gzipQuality >= identityQuality ? .gzip : .identity
    }

    /// `gzip;q=0.5` as ("gzip", 0.5); nil for an element that is malformed (so it is ignored).
    private static func parse(_ element: Substring) -> (coding: String, quality: Double)? {
        let parts = element.split(separator: ";", omittingEmptySubsequences: false)
        let coding = parts[0].trimmingSpaces.lowercased()
        guard !coding.isEmpty else { return nil }
        var quality = 1.0
        for parameter in parts.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingSpaces.lowercased() == "q" else { continue }
            // A qvalue is 0 to 1 with at most three decimals.
            let text = pair[1].trimmingSpaces
            guard text.utf8.count <= 5, let value = Double(text), (0...1).contains(value) else { return nil }
            quality = value
        }
        return (coding, quality)
    }
}

extension Substring {
    /// Without the optional white space (spaces and tabs) around a list element or parameter.
    fileprivate var trimmingSpaces: Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return self[first...last]
    }
}
