/// 10^0 … 10^38, the powers that fit a `UInt128`, for counting and shifting decimal digits.
enum PowersOfTen {
    static let table: [UInt128] = {
        var powers: [UInt128] = [1]
        while powers.count < 39 { powers.append(powers[powers.count - 1] * 10) }
        return powers
    }()

    /// How many decimal digits `value` has (1 for zero).
    static func digitCount(_ value: UInt128) -> Int {
        var count = 1
        while count < table.count, value >= table[count] { count += 1 }
        return count
    }

    /// 10^exponent, or nil when it does not fit.
    static func power(_ exponent: Int) -> UInt128? {
        table.indices.contains(exponent) ? table[exponent] : nil
    }
}
