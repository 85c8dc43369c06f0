import NIOCore

/// Writes a JSON document straight into a `ByteBuffer`, members in the order they are written.
/// The hot responses use it: no intermediate tree, no string per member.
struct JSONWriter {
    private(set) var buffer: ByteBuffer
    /// No comma before the next member or element: the container just opened, or a key was just written.
    private var atStart = true

    init(capacity: Int = 256) {
        buffer = ByteBufferAllocator().buffer(capacity: capacity)
    }

    mutating func beginObject() { open(UInt8(ascii: "{")) }
    mutating func endObject() { close(UInt8(ascii: "}")) }
    mutating func beginArray() { open(UInt8(ascii: "[")) }
    mutating func endArray() { close(UInt8(ascii: "]")) }

    private mutating func open(_ bracket: UInt8) {
        separate()
        buffer.writeInteger(bracket)
        atStart = true
    }

    private mutating func close(_ bracket: UInt8) {
        buffer.writeInteger(bracket)
        atStart = false
    }

    mutating func key(_ name: String) {
        string(name)
        buffer.writeInteger(UInt8(ascii: ":"))
        atStart = true
    }

    mutating func string(_ text: String) {
        separate()
        Self.writeString(text, to: &buffer)
        atStart = false
    }

    mutating func integer(_ number: Int) {
        separate()
        buffer.writeString(String(number))
        atStart = false
    }

    /// `"name":"value"`.
    mutating func member(_ name: String, _ value: String) {
        key(name)
        string(value)
    }

    /// `"name":"text"` for a text that `write` puts at the start of the buffer it is given (at least
    /// `maximumLength` bytes), returning its length: numbers and dates, ASCII that needs no escaping, written
    /// without a `String` each.
    mutating func member(_ name: String, maximumLength: Int, _ write: (UnsafeMutableRawBufferPointer) -> Int) {
        key(name)
        separate()
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: maximumLength + 2) { out in
            out[0] = UInt8(ascii: "\"")
            let length = write(UnsafeMutableRawBufferPointer(rebasing: out[1...]))
            out[length + 1] = UInt8(ascii: "\"")
            return length + 2
        }
        atStart = false
    }

    private mutating func separate() {
        if !atStart { buffer.writeInteger(UInt8(ascii: ",")) }
    }

    /// `text` as a JSON string literal, escaping quotes, backslashes and control characters.
    static func writeString(_ text: String, to buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            var clean = 0  // bytes[clean..<index] need no escaping and are written in one go
            for index in bytes.indices {
                let byte = bytes[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                buffer.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[clean..<index])))
                switch byte {
                case UInt8(ascii: "\""): buffer.writeStaticString("\\\"")
                case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
                case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
                case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
                case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
                default:
                    buffer.writeStaticString("\\u00")
                    buffer.writeInteger(hexDigit(byte >> 4))
                    buffer.writeInteger(hexDigit(byte & 0x0F))
                }
                clean = index + 1
            }
            buffer.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[clean...])))
        }
        buffer.writeInteger(UInt8(ascii: "\""))
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
