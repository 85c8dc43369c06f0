import Foundation

/// A Swift type that can be read from a cell in PostgreSQL's text output format.
///
/// NUMERIC columns are deliberately decoded as `String`: the caller parses the
/// exact decimal text with its own strict parser instead of going through `Double`.
public protocol PostgresDecodable: Sendable {
    /// Returns `nil` when the text is not a valid value of this type.
    init?(postgresText: String)
}

extension String: PostgresDecodable {
    public init?(postgresText: String) {
        self = postgresText
    }
}

extension Int: PostgresDecodable {
    public init?(postgresText: String) {
        self.init(postgresText, radix: 10)
    }
}

extension Int64: PostgresDecodable {
    public init?(postgresText: String) {
        self.init(postgresText, radix: 10)
    }
}

extension Int32: PostgresDecodable {
    public init?(postgresText: String) {
        self.init(postgresText, radix: 10)
    }
}

extension Int16: PostgresDecodable {
    public init?(postgresText: String) {
        self.init(postgresText, radix: 10)
    }
}

extension Bool: PostgresDecodable {
    public init?(postgresText: String) {
        switch postgresText {
        case "t": self = true
        case "f": self = false
        default: return nil
        }
    }
}

/// TIMESTAMPTZ; connections run with `TimeZone=UTC` and `DateStyle=ISO`.
extension Date: PostgresDecodable {
    public init?(postgresText: String) {
        guard let date = PostgresTimestamp.parse(postgresText) else { return nil }
        self = date
    }
}

/// BYTEA in PostgreSQL's hex output format (`\x0a1b...`).
extension [UInt8]: PostgresDecodable {
    public init?(postgresText: String) {
        let utf8 = Array(postgresText.utf8)
        guard utf8.count >= 2, utf8[0] == UInt8(ascii: "\\"), utf8[1] == UInt8(ascii: "x"), utf8.count % 2 == 0 else {
            return nil
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity((utf8.count - 2) / 2)
        var index = 2
        while index < utf8.count {
            guard let high = Self.hexValue(utf8[index]), let low = Self.hexValue(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        self = bytes
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
