import Synchronization

/// Request ids: accepted from clients only when short and printable, so a header cannot forge log lines.
enum RequestID {
    static func accepting(_ header: String?) -> String? {
        guard let header, (1...128).contains(header.utf8.count),
              header.utf8.allSatisfy({ (0x21...0x7E).contains($0) })
        else { return nil }
        return header
    }

    /// 32 hexadecimal digits: this process's random 64-bit prefix, then a counter that starts at a random
    /// value. Unique across replicas and restarts without a call into the system's random source per request.
    static func generate() -> String {
        let sequence = counter.add(1, ordering: .relaxed).newValue
        return String(unsafeUninitializedCapacity: 32) { digits in
            for index in 0..<16 {
                digits[index] = hex(prefix >> UInt64(60 - 4 * index))
                digits[16 + index] = hex(sequence >> UInt64(60 - 4 * index))
            }
            return 32
        }
    }

    private static let prefix = UInt64.random(in: .min ... .max)
    private static let counter = Atomic(UInt64.random(in: .min ... .max))

    private static func hex(_ value: UInt64) -> UInt8 {
        let nibble = UInt8(truncatingIfNeeded: value & 0x0F)
        return nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
