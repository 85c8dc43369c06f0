import FXCore

/// Request ids: accepted from clients only when short and printable, so a header cannot forge log lines.
enum RequestID {
    static func accepting(_ header: String?) -> String? {
        guard let header, (1...128).contains(header.utf8.count),
              header.utf8.allSatisfy({ (0x21...0x7E).contains($0) })
        else { return nil }
        return header
    }

    static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        return high.zeroPadded(16, radix: 16) + low.zeroPadded(16, radix: 16)
    }
}
