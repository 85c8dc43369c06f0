import FXCore
import Foundation
import Logging

/// Writes each log entry as one JSON object on one line of standard output, for log collectors.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    private let label: String

    public init(label: String, level: Logger.Level) {
        self.label = label
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var fields = metadata
        event.metadata.map { fields.merge($0) { _, new in new } }
        if let error = event.error { fields["error"] = .string(String(describing: error)) }
        var json = "{\"ts\":\"" + Self.timestamp(Date()) + "\""
        json += ",\"level\":\"\(event.level.rawValue)\",\"logger\":" + Self.quoted(label) + ",\"msg\":" + Self.quoted(event.message.description)
        for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
            json += "," + Self.quoted(key) + ":" + Self.rendered(value)
        }
        json += "}\n"
        FileHandle.standardOutput.write(Data(json.utf8))
    }

    /// Numbers stay JSON numbers so log queries can compare them; everything else is a string.
    static func rendered(_ value: Logger.MetadataValue) -> String {
        if case .stringConvertible(let convertible) = value, convertible is any Numeric {
            return convertible.description
        }
        return quoted(value.description)
    }

    /// RFC 3339 in UTC with milliseconds: `2026-11-28T02:07:57.123Z`.
    static func timestamp(_ date: Date) -> String {
        let milliseconds = Int((date.timeIntervalSince1970 * 1000).rounded(.down))
        let (days, inDay) = milliseconds.quotientAndRemainder(dividingBy: 86_400_000)
        return Day(daysSinceEpoch: days).description
            + "T\((inDay / 3_600_000).zeroPadded(2)):\((inDay / 60_000 % 60).zeroPadded(2))"
            + ":\((inDay / 1000 % 60).zeroPadded(2)).\((inDay % 1000).zeroPadded(3))Z"
    }

    /// A JSON string literal for `text`, escaping quotes, backslashes and control characters.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                result += "\\u" + scalar.value.zeroPadded(4, radix: 16)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
