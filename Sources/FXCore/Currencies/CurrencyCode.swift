/// A three-letter currency code, always upper case ("USD").
///
/// Parsing accepts any case but only ASCII letters, so "usd" is USD and "U$D" is rejected.
public struct CurrencyCode: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init?(parsing text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard bytes.count == 3 else { return nil }
        var upper: [UInt8] = []
        upper.reserveCapacity(3)
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): upper.append(byte)
            case UInt8(ascii: "a")...UInt8(ascii: "z"): upper.append(byte - 32)
            default: return nil
            }
        }
        self.rawValue = String(decoding: upper, as: UTF8.self)
    }

    /// Three bytes already checked to be A-Z.
    init(uppercaseASCII bytes: UnsafeRawBufferPointer) {
        self.rawValue = String(decoding: bytes, as: UTF8.self)
    }

    public var description: String { rawValue }

    public static func < (lhs: CurrencyCode, rhs: CurrencyCode) -> Bool {
        lhs.rawValue < rhs.rawValue
    }

    public static let eur = CurrencyCode("EUR")
}

extension CurrencyCode: ExpressibleByStringLiteral {
    /// For codes written in source; a malformed literal is a programming error.
    public init(stringLiteral value: String) {
        guard let code = CurrencyCode(parsing: value) else {
            preconditionFailure("malformed currency code literal \(value)")
        }
        self = code
    }

    init(_ literal: String) {
        self.init(stringLiteral: literal)
    }
}
