import CLibpq
import Foundation
import Logging
import NIOPosix

/// One libpq connection.
///
/// Not thread-safe by itself: the pool leases it to a single task at a time, and
/// every method runs on the client's `NIOThreadPool` because libpq blocks. The
/// only cross-thread operation is the cancel request, which uses its own handle.
final class LibpqConnection: @unchecked Sendable {
    struct Options: Sendable {
        var connectionString: String
        var connectTimeoutSeconds: Int
        var applicationName: String
        var statementTimeout: Duration?
        var cancelGracePeriod: Duration
    }

    private static let copyChunkSize = 256 * 1024
    private static let maximumIdleReads = 8

    private let handle: OpaquePointer
    private let cancelHandle: CancelHandle
    private let cancelThreadPool: NIOThreadPool
    private let cancelGracePeriod: Duration
    private let logger: Logger
    private let noticeLogger: NoticeLogger
    /// Set when the protocol state is unknown (e.g. abandoned after a timeout); such a connection is never reused.
    private var isPoisoned = false
    let backendPID: Int32

    private init(handle: OpaquePointer, cancelHandle: CancelHandle, options: Options, cancelThreadPool: NIOThreadPool, logger: Logger) {
        self.handle = handle
        self.cancelHandle = cancelHandle
        self.cancelThreadPool = cancelThreadPool
        self.cancelGracePeriod = options.cancelGracePeriod
        self.backendPID = fx_PQbackendPID(handle)
        var logger = logger
        logger[metadataKey: "postgres.backend_pid"] = "\(fx_PQbackendPID(handle))"
        self.logger = logger
        self.noticeLogger = NoticeLogger(logger: logger)
        noticeLogger.install(on: handle)
    }

    /// Connects (blocking, bounded by `connect_timeout` per host) and applies session settings.
    static func connect(options: Options, cancelThreadPool: NIOThreadPool, logger: Logger) throws -> LibpqConnection {
        if let reason = Libpq.unavailableReason {
            throw PostgresError.connectionFailed(message: "libpq cannot be loaded: \(reason)")
        }
        // With expand_dbname the connection string is expanded in place of "dbname":
        // it overrides the defaults before it, and client_encoding after it is forced.
        let keywords = ["connect_timeout", "fallback_application_name", "dbname", "client_encoding", nil]
        let values = [String(options.connectTimeoutSeconds), options.applicationName, options.connectionString, "UTF8", nil]
        let connected = withCStringArray(keywords) { keywords in
            withCStringArray(values) { values in fx_PQconnectdbParams(keywords, values, 1) }
        }
        guard let handle = connected else {
            throw PostgresError.connectionFailed(message: "libpq could not allocate a connection")
        }
        guard fx_PQstatus(handle) == CONNECTION_OK, let cancelHandle = CancelHandle(connection: handle) else {
            let message = Self.errorMessage(of: handle)
            fx_PQfinish(handle)
            throw PostgresError.connectionFailed(message: message)
        }
        let connection = LibpqConnection(
            handle: handle, cancelHandle: cancelHandle, options: options, cancelThreadPool: cancelThreadPool, logger: logger)
        do {
            try connection.applySessionSettings(statementTimeout: options.statementTimeout)
        } catch {
            connection.close()
            throw error
        }
        return connection
    }

    private func applySessionSettings(statementTimeout: Duration?) throws {
        let timeoutMilliseconds = statementTimeout.map { PostgresValue.int(Self.milliseconds($0)) }
        _ = try query(
            """
            SELECT set_config('TimeZone', 'UTC', false),
                   set_config('DateStyle', 'ISO, MDY', false),
                   set_config('statement_timeout', coalesce($1, current_setting('statement_timeout')), false)
            """,
            [timeoutMilliseconds],
            deadline: .now + .seconds(30)
        )
    }

    /// Runs one parameterized statement with text-format parameters and results.
    func query(_ sql: String, _ parameters: [PostgresValue?], deadline: ContinuousClock.Instant) throws -> PostgresRows {
        try Self.rejectNUL(in: sql, what: "the statement")
        for (index, parameter) in parameters.enumerated() {
            if let parameter { try Self.rejectNUL(in: parameter.text, what: "parameter $\(index + 1)") }
        }
        let sent = withCStringArray(parameters.map { $0?.text }) { values in
            fx_PQsendQueryParams(handle, sql, Int32(parameters.count), nil, values, nil, nil, 0)
        }
        guard sent == 1 else { throw sendFailure() }
        return try collectResults(copyRows: nil, deadline: deadline)
    }

    /// Runs a `COPY ... FROM STDIN` statement, streaming `rows` in COPY text format.
    func copyFromStdin(_ sql: String, rows: [[String?]], deadline: ContinuousClock.Instant) throws -> Int {
        try Self.rejectNUL(in: sql, what: "the statement")
        guard fx_PQsendQueryParams(handle, sql, 0, nil, nil, nil, nil, 0) == 1 else { throw sendFailure() }
        return try collectResults(copyRows: rows, deadline: deadline).affectedRows
    }

    /// Runs trusted, possibly multi-statement SQL (migration files) with the simple query protocol.
    func executeScript(_ sql: String, deadline: ContinuousClock.Instant) throws {
        try Self.rejectNUL(in: sql, what: "the script")
        guard fx_PQsendQuery(handle, sql) == 1 else { throw sendFailure() }
        _ = try collectResults(copyRows: nil, deadline: deadline)
    }

    /// True if the connection is open, idle and outside a transaction. Reads pending
    /// input without blocking, which notices a server that closed the connection.
    func isReusable() -> Bool {
        guard !isPoisoned, fx_PQstatus(handle) == CONNECTION_OK else { return false }
        // A terminated backend sends an error and then closes the socket; libpq may read
        // the two separately, so keep consuming while the socket has something to say.
        for _ in 0..<Self.maximumIdleReads {
            var descriptor = pollfd(fd: fx_PQsocket(handle), events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 0) > 0 else { break }
            guard fx_PQconsumeInput(handle) == 1, fx_PQstatus(handle) == CONNECTION_OK else { return false }
        }
        return fx_PQisBusy(handle) == 0 && fx_PQtransactionStatus(handle) == PQTRANS_IDLE
    }

    func close() {
        fx_PQfinish(handle)
    }

    // MARK: - Result handling

    private func collectResults(copyRows: [[String?]]?, deadline: ContinuousClock.Instant) throws -> PostgresRows {
        var wait = DeadlineWait(deadline: deadline)
        var outcome = PostgresRows(columns: [], rows: [], affectedRows: 0)
        var failure: PostgresError?
        while true {
            try waitUntilResultReady(&wait)
            guard let result = fx_PQgetResult(handle) else { break }
            defer { fx_PQclear(result) }
            switch fx_PQresultStatus(result) {
            case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
                outcome = Self.rows(of: result)
            case PGRES_COPY_IN:
                if let copyRows {
                    if let copyFailure = sendCopyData(copyRows) { failure = failure ?? copyFailure }
                } else {
                    fx_PQputCopyEnd(handle, "COPY FROM STDIN is only supported through copyFromStdin")
                    failure = failure ?? .protocolViolation(message: "unexpected COPY FROM STDIN")
                }
            case PGRES_COPY_OUT, PGRES_COPY_BOTH:
                isPoisoned = true
                throw PostgresError.protocolViolation(message: "COPY TO STDOUT is not supported")
            default:
                failure = failure ?? Self.error(of: result)
            }
        }
        if wait.cancelSent {
            // Only a cancelled statement proves the cancel request was consumed; after anything
            // else it could still hit a later statement, so the connection is not reused.
            if failure?.sqlState != "57014" { isPoisoned = true }
            throw PostgresError.timeout
        }
        if fx_PQstatus(handle) != CONNECTION_OK {
            throw PostgresError.connectionLost(message: failure?.message ?? Self.errorMessage(of: handle))
        }
        if let failure { throw failure }
        return outcome
    }

    private struct DeadlineWait {
        var deadline: ContinuousClock.Instant
        var cancelSent = false
    }

    /// Waits for input until libpq can hand out a result without blocking. At the
    /// deadline it requests a cancel and waits a grace period for the server to react.
    private func waitUntilResultReady(_ wait: inout DeadlineWait) throws {
        while fx_PQisBusy(handle) == 1 {
            let now = ContinuousClock.now
            if now >= wait.deadline {
                if wait.cancelSent {
                    isPoisoned = true
                    logger.warning("PostgreSQL did not answer a cancel request in time; abandoning the connection")
                    throw PostgresError.timeout
                }
                wait.cancelSent = true
                wait.deadline = now + cancelGracePeriod
                requestCancel()
                continue
            }
            let socket = fx_PQsocket(handle)
            guard socket >= 0 else {
                isPoisoned = true
                throw PostgresError.connectionLost(message: Self.errorMessage(of: handle))
            }
            var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            let timeout = Int32(clamping: Self.milliseconds(wait.deadline - now) + 1)
            let ready = poll(&descriptor, 1, timeout)
            if ready < 0, errno != EINTR {
                isPoisoned = true
                throw PostgresError.connectionLost(message: "poll failed with errno \(errno)")
            }
            if ready > 0, fx_PQconsumeInput(handle) == 0 {
                isPoisoned = true
                throw PostgresError.connectionLost(message: Self.errorMessage(of: handle))
            }
        }
    }

    /// Sends the cancel request from another pool thread so that an unreachable
    /// server cannot stall this one beyond the grace period.
    private func requestCancel() {
        let cancelHandle = self.cancelHandle
        let logger = self.logger
        logger.info("Cancelling a PostgreSQL statement that exceeded its deadline")
        cancelThreadPool.submit { _ in
            if let failure = cancelHandle.cancel() {
                logger.warning("PostgreSQL cancel request failed", metadata: ["error": "\(failure)"])
            }
        }
    }

    /// Streams rows to the server and ends the COPY; returns the error to report, if any.
    private func sendCopyData(_ rows: [[String?]]) -> PostgresError? {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(Self.copyChunkSize + 4096)
        for row in rows {
            do {
                try CopyTextEncoder.append(row: row, to: &buffer)
            } catch {
                fx_PQputCopyEnd(handle, "client rejected a row")
                return error
            }
            if buffer.count >= Self.copyChunkSize {
                guard putCopyData(buffer) else { return .connectionLost(message: Self.errorMessage(of: handle)) }
                buffer.removeAll(keepingCapacity: true)
            }
        }
        guard putCopyData(buffer), fx_PQputCopyEnd(handle, nil) == 1 else {
            return .connectionLost(message: Self.errorMessage(of: handle))
        }
        return nil
    }

    private func putCopyData(_ bytes: [UInt8]) -> Bool {
        guard !bytes.isEmpty else { return true }
        return bytes.withUnsafeBytes { raw in
            fx_PQputCopyData(handle, raw.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(raw.count)) == 1
        }
    }

    private func sendFailure() -> PostgresError {
        let message = Self.errorMessage(of: handle)
        if fx_PQstatus(handle) != CONNECTION_OK { return .connectionLost(message: message) }
        isPoisoned = true
        return .protocolViolation(message: message)
    }

    // MARK: - libpq value conversion

    private static func rows(of result: OpaquePointer) -> PostgresRows {
        let fieldCount = fx_PQnfields(result)
        let tupleCount = fx_PQntuples(result)
        let columns = (0..<fieldCount).map { String(cString: fx_PQfname(result, $0)) }
        var rows: [PostgresRow] = []
        rows.reserveCapacity(Int(tupleCount))
        for tuple in 0..<tupleCount {
            let cells: [String?] = (0..<fieldCount).map { field in
                guard fx_PQgetisnull(result, tuple, field) == 0, let value = fx_PQgetvalue(result, tuple, field) else { return nil }
                let bytes = UnsafeRawBufferPointer(start: value, count: Int(fx_PQgetlength(result, tuple, field)))
                return String(decoding: bytes, as: UTF8.self)
            }
            rows.append(PostgresRow(columns: columns, cells: cells))
        }
        let affected = fx_PQcmdTuples(result).flatMap { Int(String(cString: $0)) } ?? Int(tupleCount)
        return PostgresRows(columns: columns, rows: rows, affectedRows: affected)
    }

    private static func error(of result: OpaquePointer) -> PostgresError {
        func field(_ code: Character) -> String? {
            fx_PQresultErrorField(result, Int32(code.asciiValue!)).map { String(cString: $0) }
        }
        let message = field("M") ?? trimmed(fx_PQresultErrorMessage(result).map { String(cString: $0) } ?? "unknown error")
        guard let sqlState = field("C") else { return .protocolViolation(message: message) }
        return .server(sqlState: sqlState, message: message, detail: field("D"))
    }

    private static func errorMessage(of handle: OpaquePointer) -> String {
        trimmed(fx_PQerrorMessage(handle).map { String(cString: $0) } ?? "unknown libpq error")
    }

    private static func trimmed(_ message: String) -> String {
        message.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func rejectNUL(in text: String, what: String) throws {
        if text.utf8.contains(0) {
            throw PostgresError.invalidParameter(message: "\(what) contains a NUL byte, which PostgreSQL text cannot hold")
        }
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        let components = duration.components
        return max(0, components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000)
    }
}
