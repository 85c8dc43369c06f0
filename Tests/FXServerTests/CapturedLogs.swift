import Logging
import Synchronization

/// Keeps every log entry of a test in memory, rendered as text with its metadata.
final class CapturedLogs: Sendable {
    struct Entry: Sendable {
        let message: String
        let level: Logger.Level
        let metadata: Logger.Metadata
    }

    private let entries = Mutex<[Entry]>([])

    var all: [Entry] { entries.withLock { $0 } }

    func logger() -> Logger {
        var logger = Logger(label: "fxrates-test") { _ in Handler(logs: self) }
        logger.logLevel = .trace
        return logger
    }

    fileprivate func append(_ entry: Entry) {
        entries.withLock { $0.append(entry) }
    }

    private struct Handler: LogHandler {
        let logs: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var fields = metadata
            event.metadata.map { fields.merge($0) { _, new in new } }
            if let error = event.error { fields["error"] = .string(String(reflecting: error)) }
            logs.append(Entry(message: event.message.description, level: event.level, metadata: fields))
        }
    }
}
