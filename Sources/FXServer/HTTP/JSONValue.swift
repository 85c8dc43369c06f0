import FXCore
import NIOCore

/// A JSON document built in the order it is written. Responses use it instead of `JSONEncoder`:
/// keys come out in the order the contract shows them, and encoding is several times faster on the hot path.
enum JSONValue: Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    case string(String)
    case integer(Int)
    case array([JSONValue])
    case object([(String, JSONValue)])

    init(stringLiteral value: String) { self = .string(value) }
    init(integerLiteral value: Int) { self = .integer(value) }

    /// An object whose keys are sorted, for maps such as rates by currency.
    static func sortedObject(_ entries: [String: JSONValue]) -> JSONValue {
        .object(entries.sorted { $0.key < $1.key })
    }

    func write(to buffer: inout ByteBuffer) {
        switch self {
        case .string(let text):
            JSONWriter.writeString(text, to: &buffer)
        case .integer(let number):
            buffer.writeString(String(number))
        case .array(let items):
            buffer.writeInteger(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
                item.write(to: &buffer)
            }
            buffer.writeInteger(UInt8(ascii: "]"))
        case .object(let members):
            buffer.writeInteger(UInt8(ascii: "{"))
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { buffer.writeInteger(UInt8(ascii: ",")) }
                JSONWriter.writeString(key, to: &buffer)
                buffer.writeInteger(UInt8(ascii: ":"))
                value.write(to: &buffer)
            }
            buffer.writeInteger(UInt8(ascii: "}"))
        }
    }
}
