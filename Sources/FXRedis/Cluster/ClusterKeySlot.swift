/// The Redis Cluster hash slot of a key: CRC16 (XMODEM: polynomial 0x1021, initial value 0) of the key, or of
/// its hash tag, modulo 16384 (the cluster specification's `HASH_SLOT`).
///
/// The hash tag is the text between the first `{` and the first `}` after it, when that text is not empty:
/// `fx:{abc}:1` and `fx:{abc}:2` share a slot. `{}` and an unclosed `{` hash the whole key.
enum ClusterKeySlot {
    static let slotCount = 16_384

    static func slot(of key: [UInt8]) -> Int {
        Int(crc16(hashed(key))) & (slotCount - 1)
    }

    static func slot(of key: String) -> Int {
        slot(of: Array(key.utf8))
    }

    /// The part of `key` that is hashed: its non-empty hash tag, or the whole key.
    static func hashed(_ key: [UInt8]) -> ArraySlice<UInt8> {
        guard let open = key.firstIndex(of: UInt8(ascii: "{")),
              let close = key[(open + 1)...].firstIndex(of: UInt8(ascii: "}")),
              close > open + 1
        else { return key[...] }
        return key[(open + 1)..<close]
    }

    static func crc16<Bytes: Sequence>(_ bytes: Bytes) -> UInt16 where Bytes.Element == UInt8 {
        var crc: UInt16 = 0
        for byte in bytes {
            crc = (crc << 8) ^ table[Int(UInt8(truncatingIfNeeded: crc >> 8) ^ byte)]
        }
        return crc
    }

    private static let table: [UInt16] = (0..<256).map { index in
        var crc = UInt16(index) << 8
        for _ in 0..<8 {
            crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1
        }
        return crc
    }
}
