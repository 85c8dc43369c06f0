import Foundation

/// A statement parameter, sent to the server in PostgreSQL's text format so the
/// server does the type conversion. Exact numbers (NUMERIC) travel as their
/// decimal text and never through `Double`.
public struct PostgresValue: Sendable, Hashable {
    /// The text representation handed to `PQexecParams`.
    public let text: String

    public init(text: String) {
        self.text = text
    }

    public static func text(_ value: String) -> PostgresValue {
        PostgresValue(text: value)
    }

    public static func int(_ value: some BinaryInteger) -> PostgresValue {
        PostgresValue(text: String(value))
    }

    public static func bool(_ value: Bool) -> PostgresValue {
        PostgresValue(text: value ? "t" : "f")
    }

    /// An exact decimal given as text, e.g. `"1.0825"`; cast it in SQL (`$1::numeric`).
    public static func numeric(_ decimalText: String) -> PostgresValue {
        PostgresValue(text: decimalText)
    }

    /// A BYTEA value in PostgreSQL's hex format.
    public static func bytea(_ bytes: some Sequence<UInt8>) -> PostgresValue {
        let digits: [Character] = Array("0123456789abcdef")
        var text = "\\x"
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return PostgresValue(text: text)
    }

    /// A TIMESTAMPTZ value in UTC with microsecond precision.
    public static func timestamp(_ date: Date) -> PostgresValue {
        PostgresValue(text: PostgresTimestamp.format(date))
    }
}

extension PostgresValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) {
        self.init(text: value)
    }
}

extension PostgresValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) {
        self.init(text: String(value))
    }
}

extension PostgresValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) {
        self = .bool(value)
    }
}
