import NIOCore

/// One reply of the RESP2 protocol, copied out of hiredis into Swift memory.
public enum RESPValue: Sendable, Hashable {
    case simpleString(String)
    case error(String)
    case integer(Int64)
    case bulkString(ByteBuffer)
    /// The null bulk string, `$-1`.
    case null
    case array([RESPValue])
    /// The null array, `*-1` (for example a `BLPOP` that timed out).
    case nullArray
}

extension RESPValue {
    /// The value as text: a simple string, or a bulk string decoded as UTF-8.
    public var string: String? {
        switch self {
        case .simpleString(let text): text
        case .bulkString(let buffer): String(buffer: buffer)
        default: nil
        }
    }

    /// The value as an integer: an integer reply, or a bulk string holding a decimal number.
    public var int: Int64? {
        switch self {
        case .integer(let value): value
        case .bulkString(let buffer): Int64(String(buffer: buffer))
        default: nil
        }
    }

    /// The raw bytes of a bulk or simple string.
    public var bytes: [UInt8]? {
        switch self {
        case .bulkString(let buffer): Array(buffer.readableBytesView)
        case .simpleString(let text): Array(text.utf8)
        default: nil
        }
    }

    public var array: [RESPValue]? {
        if case .array(let elements) = self { elements } else { nil }
    }

    /// True for both null forms of RESP2.
    public var isNull: Bool {
        switch self {
        case .null, .nullArray: true
        default: false
        }
    }
}
