import NIOCore

/// One binary-safe argument of a Redis command.
public struct RedisArgument: Sendable, Hashable {
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    public init(_ string: String) {
        self.bytes = Array(string.utf8)
    }

    public init(_ buffer: ByteBuffer) {
        self.bytes = Array(buffer.readableBytesView)
    }

    public init<Integer: BinaryInteger>(_ value: Integer) {
        self.bytes = Array(String(value).utf8)
    }
}

extension RedisArgument: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) {
        self.init(value)
    }
}

extension RedisArgument: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) {
        self.init(value)
    }
}
