extension Day {
    /// Reads exactly `YYYY-MM-DD` from bytes, as `init(parsing:)` reads it from text, without a copy.
    init?(ascii bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              (1...12).contains(month), day >= 1, day <= Self.daysIn(month: month, year: year)
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// Writes `YYYY-MM-DD` (the `description`) at the start of `buffer`, which must hold 16 bytes, and
    /// returns how many bytes it wrote: the writers of histories call this for every date.
    public func writeISO8601(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let (year, month, day) = components
        guard (0...9999).contains(year) else {
            let text = description.utf8.prefix(16)
            buffer.copyBytes(from: text)
            return text.count
        }
        func put(_ value: Int, endingAt end: Int, width: Int) {
            var rest = value
            for index in stride(from: end - 1, through: end - width, by: -1) {
                buffer[index] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            }
        }
        put(year, endingAt: 4, width: 4)
        put(month, endingAt: 7, width: 2)
        put(day, endingAt: 10, width: 2)
        buffer[4] = UInt8(ascii: "-")
        buffer[7] = UInt8(ascii: "-")
        return 10
    }
}
