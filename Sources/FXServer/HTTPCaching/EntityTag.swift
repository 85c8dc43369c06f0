import FXSupport
import NIOCore

/// Strong entity tags of response bodies, and `If-None-Match` matching.
///
/// The tag is XXH64 of the body's bytes: it depends on nothing but the body, so every replica serving the
/// same rates answers the same tag, and any change to what a response says (an admin write, an import)
/// changes it. 64 bits make an accidental match between two versions of one URL's body negligible.
enum EntityTag {
    /// `"` + 16 hexadecimal digits + `"`.
    static func strong(of body: ByteBuffer) -> String {
        let hash = body.withUnsafeReadableBytes { XXHash64.hash($0) }
        // Written in place: `String(_:radix:)` and concatenation cost more than the hash of a small body.
        return String(unsafeUninitializedCapacity: 18) { text in
            text[0] = UInt8(ascii: "\"")
            for index in 0..<16 {
                let nibble = UInt8(truncatingIfNeeded: hash >> UInt64(60 - 4 * index)) & 0x0F
                text[1 + index] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
            }
            text[17] = UInt8(ascii: "\"")
            return 18
        }
    }

    /// The tag of the gzip-coded representation of the body `tag` names: `"…-gzip"`. A strong tag names one
    /// representation (RFC 9110 §8.8.3), and the coded bytes differ from the uncoded ones.
    static func gzipped(_ tag: String) -> String {
        String(tag.dropLast()) + "-gzip\""
    }

    /// Whether `ifNoneMatch` (the header's value) names `tag`, by the weak comparison RFC 9110 §13.1.2
    /// prescribes for it: `W/"x"` matches `"x"`, and `*` matches any current representation.
    static func matches(_ tag: String, ifNoneMatch: String) -> Bool {
        let opaque = tag.utf8
        var rest = Substring(ifNoneMatch)
        while true {
            rest = rest.drop { $0 == " " || $0 == "\t" || $0 == "," }
            if rest.isEmpty { return false }
            if rest.first == "*" { return true }
            if rest.hasPrefix("W/") { rest = rest.dropFirst(2) }
            guard rest.first == "\"", let close = rest.dropFirst().firstIndex(of: "\"") else { return false }
            let candidate = rest[rest.startIndex...close]
            if candidate.utf8.elementsEqual(opaque) { return true }
            rest = rest[rest.index(after: close)...]
        }
    }
}
