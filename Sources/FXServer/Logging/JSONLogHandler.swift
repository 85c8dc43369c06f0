import FXCore
import Foundation
import Logging

/// Writes each log entry as one JSON object on one line of standard output (`serve`) or standard error
/// (the other commands, whose standard output is their result), for log collectors.
///
/// Every request logs a line, so the line is built as bytes in one buffer and written with one
/// `write(2)`: building it from `String` pieces and `FileHandle` cost more than the rest of a conversion.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    /// Metadata of the moment, such as the active span's `trace_id` and `span_id`; nil asks nothing.
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level
    private let label: String
    private let fileDescriptor: Int32

    public enum Output: Sendable {
        case standardOutput
        case standardError
    }

    public init(label: String, level: Logger.Level, output: Output = .standardOutput,
                metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.logLevel = level
        self.metadataProvider = metadataProvider
        self.fileDescriptor = output == .standardOutput ? STDOUT_FILENO : STDERR_FILENO
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = metadata
        if let provided = metadataProvider?.get(), !provided.isEmpty { fields.merge(provided) { _, new in new } }
        if let extra = event.metadata { fields.merge(extra) { _, new in new } }
        if let error = event.error { fields["error"] = .string(String(describing: error)) }
        var line: [UInt8] = []
        line.reserveCapacity(384)
        Self.append("{\"ts\":\"", to: &line)
        Self.appendTimestamp(milliseconds: Self.nowMilliseconds(), to: &line)
        Self.append("\",\"level\":\"", to: &line)
        line.append(contentsOf: event.level.rawValue.utf8)
        Self.append("\",\"logger\":", to: &line)
        Self.appendQuoted(label, to: &line)
        Self.append(",\"msg\":", to: &line)
        Self.appendQuoted(event.message.description, to: &line)
        for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
            line.append(UInt8(ascii: ","))
            Self.appendQuoted(key, to: &line)
            line.append(UInt8(ascii: ":"))
            Self.appendRendered(value, to: &line)
        }
        Self.append("}\n", to: &line)
        Self.writeLine(line, to: fileDescriptor)
    }

    /// Numbers stay JSON numbers so log queries can compare them; everything else is a string.
    static func rendered(_ value: Logger.MetadataValue) -> String {
        var bytes: [UInt8] = []
        appendRendered(value, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// RFC 3339 in UTC with milliseconds: `2026-11-28T02:07:57.123Z`.
    static func timestamp(_ date: Date) -> String {
        var bytes: [UInt8] = []
        appendTimestamp(milliseconds: Int((date.timeIntervalSince1970 * 1000).rounded(.down)), to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A JSON string literal for `text`, escaping quotes, backslashes and control characters.
    static func quoted(_ text: String) -> String {
        var bytes: [UInt8] = []
        appendQuoted(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func appendRendered(_ value: Logger.MetadataValue, to line: inout [UInt8]) {
        if case .stringConvertible(let convertible) = value, isNumber(convertible) {
            line.append(contentsOf: convertible.description.utf8)
        } else {
            appendQuoted(value.description, to: &line)
        }
    }

    /// The request log's numbers are `Int` and `LoggedMilliseconds`: casting to those first skips the slower
    /// protocol conformance check.
    private static func isNumber(_ value: any CustomStringConvertible & Sendable) -> Bool {
        value is Int || value is LoggedMilliseconds || value is Double || value is any Numeric
    }

    private static func appendQuoted(_ text: String, to line: inout [UInt8]) {
        line.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): append("\\\"", to: &line)
            case UInt8(ascii: "\\"): append("\\\\", to: &line)
            case UInt8(ascii: "\n"): append("\\n", to: &line)
            case UInt8(ascii: "\r"): append("\\r", to: &line)
            case UInt8(ascii: "\t"): append("\\t", to: &line)
            case 0..<0x20:
                append("\\u00", to: &line)
                line.append(hexDigits[Int(byte >> 4)])
                line.append(hexDigits[Int(byte & 0x0F)])
            default: line.append(byte)
            }
        }
        line.append(UInt8(ascii: "\""))
    }

    private static func appendTimestamp(milliseconds: Int, to line: inout [UInt8]) {
        let (days, inDay) = milliseconds.quotientAndRemainder(dividingBy: 86_400_000)
        let (year, month, day) = Day(daysSinceEpoch: days).components
        appendDigits(year, width: 4, to: &line)
        line.append(UInt8(ascii: "-"))
        appendDigits(month, width: 2, to: &line)
        line.append(UInt8(ascii: "-"))
        appendDigits(day, width: 2, to: &line)
        line.append(UInt8(ascii: "T"))
        appendDigits(inDay / 3_600_000, width: 2, to: &line)
        line.append(UInt8(ascii: ":"))
        appendDigits(inDay / 60_000 % 60, width: 2, to: &line)
        line.append(UInt8(ascii: ":"))
        appendDigits(inDay / 1000 % 60, width: 2, to: &line)
        line.append(UInt8(ascii: "."))
        appendDigits(inDay % 1000, width: 3, to: &line)
        line.append(UInt8(ascii: "Z"))
    }

    /// `value`'s decimal digits, left-padded with zeros to `width`; `value` is not negative.
    private static func appendDigits(_ value: Int, width: Int, to line: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        while divisor > 1, value >= divisor * 10 { divisor *= 10 }  // wider than `width`: all digits
        var remaining = value
        while divisor > 0 {
            line.append(UInt8(ascii: "0") + UInt8(remaining / divisor % 10))
            remaining %= divisor
            divisor /= 10
        }
    }

    private static func append(_ text: StaticString, to line: inout [UInt8]) {
        text.withUTF8Buffer { line.append(contentsOf: $0) }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func nowMilliseconds() -> Int {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return now.tv_sec * 1000 + now.tv_nsec / 1_000_000
    }

    /// One `write(2)` per line where the pipe allows, so lines of concurrent requests do not interleave.
    private static func writeLine(_ line: [UInt8], to fileDescriptor: Int32) {
        line.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(fileDescriptor, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0, errno == EINTR {
                    continue
                } else {
                    return  // the stream is gone; a log line is not worth failing a request over
                }
            }
        }
    }
}
