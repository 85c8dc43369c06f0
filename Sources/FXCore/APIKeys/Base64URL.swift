/// Base64url (RFC 4648 §5) without padding, as API keys use it.
enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count * 4 + 2) / 3)
        for start in stride(from: 0, to: bytes.count, by: 3) {
            let chunk = bytes[start..<min(start + 3, bytes.count)]
            var group = 0
            for (index, byte) in chunk.enumerated() {
                group |= Int(byte) << (16 - 8 * index)
            }
            for index in 0...chunk.count {
                output.append(alphabet[(group >> (18 - 6 * index)) & 0x3F])
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// True if `text` is the unpadded encoding of exactly `byteCount` bytes, with the unused low bits
    /// of the last character zero, so that each byte string has exactly one accepted spelling.
    static func isCanonical(_ text: some Collection<UInt8>, byteCount: Int) -> Bool {
        guard text.count == (byteCount * 4 + 2) / 3 else { return false }
        var last = 0
        for character in text {
            guard let value = sextet(character) else { return false }
            last = value
        }
        let unusedBits = (6 - (byteCount * 8) % 6) % 6
        return last & ((1 << unusedBits) - 1) == 0
    }

    private static func sextet(_ character: UInt8) -> Int? {
        switch character {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): Int(character - UInt8(ascii: "A"))
        case UInt8(ascii: "a")...UInt8(ascii: "z"): Int(character - UInt8(ascii: "a")) + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(character - UInt8(ascii: "0")) + 52
        case UInt8(ascii: "-"): 62
        case UInt8(ascii: "_"): 63
        default: nil
        }
    }
}
