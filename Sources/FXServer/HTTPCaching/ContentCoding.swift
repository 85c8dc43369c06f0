/// The content coding a response is sent in, chosen from the request's `Accept-Encoding` (RFC 9110 §12.5.3).
enum ContentCoding: Sendable, Equatable {
    case identity
    case gzip

    /// gzip when the client accepts it (`gzip`, `x-gzip` or `*` with a q-value above 0) and does not weigh
    /// the uncoded body (`identity;q=…`, or `*`) higher; identity otherwise, also when it refuses both
    /// (`identity;q=0`): the body uncoded is still a better answer than a 406. No header means identity.
    init(acceptEncoding fieldValues: [String]) {
        var gzip: Int?
        var identity: Int?
        var any: Int?
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

    /// `gzip;q=0.5` as ("gzip", 500), the quality in thousandths; nil for an element that is malformed (so
    /// it is ignored).
    private static func parse(_ element: Substring) -> (coding: String, quality: Int)? {
        let parts = element.split(separator: ";", omittingEmptySubsequences: false)
        let coding = parts[0].trimmingSpaces.lowercased()
        guard !coding.isEmpty else { return nil }
        var quality = 1000
        for parameter in parts.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingSpaces.lowercased() == "q" else { continue }
            guard let value = Self.thousandths(pair[1].trimmingSpaces) else { return nil }
            quality = value
        }
        return (coding, quality)
    }

    /// RFC 9110's qvalue, `0[.ddd]` or `1[.000]`, read exactly in thousandths; nil for anything else.
    private static func thousandths(_ text: Substring) -> Int? {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, first == UInt8(ascii: "0") || first == UInt8(ascii: "1"),
              bytes.count == 1 || (bytes[1] == UInt8(ascii: ".") && bytes.count <= 5) else { return nil }
        var value = Int(first - UInt8(ascii: "0")) * 1000
        var scale = 100
        for digit in bytes.dropFirst(2) {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) else { return nil }
            value += Int(digit - UInt8(ascii: "0")) * scale
            scale /= 10
        }
        return value <= 1000 ? value : nil
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
