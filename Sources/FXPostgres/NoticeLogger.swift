import CLibpq
import Logging

/// Routes libpq notices (server NOTICE/WARNING messages, and errors that arrive
/// while idle) to the logger instead of libpq's default of printing to stderr.
final class NoticeLogger: Sendable {
    private let logger: Logger

    init(logger: Logger) {
        self.logger = logger
    }

    /// Installs the processor; `self` must outlive the connection, so its owner keeps it.
    func install(on connection: OpaquePointer) {
        fx_PQsetNoticeProcessor(
            connection,
            { context, message in
                guard let context, let message else { return }
                let noticeLogger = Unmanaged<NoticeLogger>.fromOpaque(context).takeUnretainedValue()
                noticeLogger.logger.debug("PostgreSQL notice", metadata: ["postgres.notice": "\(String(cString: message).trimmingSuffixNewlines)"])
            },
            Unmanaged.passUnretained(self).toOpaque()
        )
    }
}

private extension String {
    var trimmingSuffixNewlines: Substring {
        var text = self[...]
        while text.last?.isNewline == true { text = text.dropLast() }
        return text
    }
}
