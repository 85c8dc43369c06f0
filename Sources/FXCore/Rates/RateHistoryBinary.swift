/// A whole history as the bytes of its grid, for the copy that replicas share through Redis: a reload reads
/// it back by copying arrays and checking each cell, where the ECB's text took parsing every value (about
/// half of a reload's CPU).
///
/// Little-endian, in this order:
///
///     "FXGRID1\n"                                   8 bytes
///     date count d, currency count c, wide count w  3 × UInt32
///     dates                                         d × Int32, days since 1970-01-01, ascending
///     currencies                                    c × 3 ASCII letters, ascending, never EUR
///     exponents                                     d × c × Int8, row by row
///     significands                                  d × c × UInt64 (0: no rate; UInt64.max: wide)
///     wide significands                             w × (UInt32 cell, UInt64 low, UInt64 high)
///
/// What comes back from Redis is another process's bytes: `decode` accepts only what `encode` can write
/// (every cell normalized and in range, every currency with a rate, the exact length) and returns nil for
/// anything else, which the cache treats as a miss.
public enum RateHistoryBinary {
    static let magic = Array("FXGRID1\n".utf8)
    private static let headerLength = 8 + 3 * 4
    private static let wideEntryLength = 4 + 8 + 8
    /// 0000-01-01 through 9999-12-31: the dates `YYYY-MM-DD` can name.
    private static let dayRange = Day(year: 0, month: 1, day: 1).daysSinceEpoch...Day(year: 9999, month: 12, day: 31).daysSinceEpoch

    public static func encode(_ history: RateHistory) -> [UInt8] {
        let grid = history.grid
        var bytes = magic
        bytes.reserveCapacity(headerLength + grid.days.count * 4 + grid.currencies.count * 3
                              + grid.significands.count * 9 + grid.wideSignificands.count * wideEntryLength)
        func append<T: FixedWidthInteger>(_ value: T) {
            withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
        }
        append(UInt32(truncatingIfNeeded: grid.days.count))
        append(UInt32(truncatingIfNeeded: grid.currencies.count))
        append(UInt32(truncatingIfNeeded: grid.wideSignificands.count))
        for day in grid.days { append(Int32(truncatingIfNeeded: day.daysSinceEpoch)) }
        for code in grid.currencies { bytes.append(contentsOf: code.rawValue.utf8.prefix(3)) }
        for exponent in grid.exponents { append(exponent) }
        for significand in grid.significands { append(significand) }
        for (slot, significand) in grid.wideSignificands.sorted(by: { $0.key < $1.key }) {
            append(UInt32(truncatingIfNeeded: slot))
            append(UInt64(truncatingIfNeeded: significand))
            append(UInt64(truncatingIfNeeded: significand >> 64))
        }
        return bytes
    }

    /// The history in `bytes`, or nil when they are not exactly what `encode` writes.
    public static func decode(_ bytes: UnsafeRawBufferPointer) -> RateHistory? {
        var reader = LittleEndianReader(bytes: bytes)
        guard bytes.count >= headerLength, bytes.prefix(magic.count).elementsEqual(magic) else { return nil }
        reader.offset = magic.count
        let dayCount = Int(reader.next(UInt32.self))
        let width = Int(reader.next(UInt32.self))
        let wideCount = Int(reader.next(UInt32.self))
        let (cells, overflow) = dayCount.multipliedReportingOverflow(by: width)
        guard !overflow, cells <= bytes.count,
              bytes.count == headerLength + dayCount * 4 + width * 3 + cells * 9 + wideCount * wideEntryLength
        else { return nil }

        var days: [Day] = []
        days.reserveCapacity(dayCount)
        for _ in 0..<dayCount {
            let day = Day(daysSinceEpoch: Int(reader.next(Int32.self)))
            guard dayRange.contains(day.daysSinceEpoch), days.last.map({ $0 < day }) ?? true else { return nil }
            days.append(day)
        }
        var currencies: [CurrencyCode] = []
        currencies.reserveCapacity(width)
        for _ in 0..<width {
            let letters = UnsafeRawBufferPointer(rebasing: bytes[reader.offset..<reader.offset + 3])
            reader.offset += 3
            guard letters.allSatisfy({ (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }) else { return nil }
            let code = CurrencyCode(uppercaseASCII: letters)
            guard code != .eur, currencies.last.map({ $0 < code }) ?? true else { return nil }
            currencies.append(code)
        }
        let exponents = [Int8](unsafeUninitializedCapacity: cells) { buffer, count in
            for slot in 0..<cells { buffer[slot] = reader.next(Int8.self) }
            count = cells
        }
        let significands = [UInt64](unsafeUninitializedCapacity: cells) { buffer, count in
            for slot in 0..<cells { buffer[slot] = reader.next(UInt64.self) }
            count = cells
        }
        var wide: [Int: UInt128] = [:]
        for _ in 0..<wideCount {
            let slot = Int(reader.next(UInt32.self))
            let low = reader.next(UInt64.self)
            let significand = UInt128(reader.next(UInt64.self)) << 64 | UInt128(low)
            guard slot < cells, significands[slot] == RateGrid.wide, wide.updateValue(significand, forKey: slot) == nil,
                  significand > UInt128(RateGrid.wide - 1), significand % 10 != 0
            else { return nil }
        }
        guard cellsAreStored(significands: significands, exponents: exponents, wide: wide, width: width) else {
            return nil
        }
        return RateHistory(grid: RateGrid(days: days, currencies: currencies, significands: significands,
                                          exponents: exponents, wideSignificands: wide))
    }

    /// Every cell as `RateGrid.cell` stores a rate, or empty; every column with at least one rate.
    private static func cellsAreStored(significands: [UInt64], exponents: [Int8], wide: [Int: UInt128],
                                       width: Int) -> Bool {
        var used = [Bool](repeating: false, count: width)
        for slot in significands.indices where significands[slot] != 0 {
            let significand = significands[slot]
            guard RateGrid.storedExponents.contains(Int(exponents[slot])),
                  significand == RateGrid.wide ? wide[slot] != nil : significand % 10 != 0
            else { return false }
            used[slot % width] = true
        }
        return !used.contains(false)
    }
}

/// Fixed-width integers read one after another; the caller has checked the length up front.
private struct LittleEndianReader {
    let bytes: UnsafeRawBufferPointer
    var offset = 0

    mutating func next<T: FixedWidthInteger>(_ type: T.Type) -> T {
        defer { offset += MemoryLayout<T>.size }
        return T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}
