extension BinaryInteger {
    /// The digits of this non-negative number, left-padded with zeros to `width`: `7.zeroPadded(3)` is "007".
    public func zeroPadded(_ width: Int, radix: Int = 10) -> String {
        let digits = String(self, radix: radix)
        return String(repeating: "0", count: Swift.max(0, width - digits.count)) + digits
    }
}

extension Collection<UInt8> {
    /// Lower-case hexadecimal, two digits a byte.
    public var hexString: String {
        map { $0.zeroPadded(2, radix: 16) }.joined()
    }
}
