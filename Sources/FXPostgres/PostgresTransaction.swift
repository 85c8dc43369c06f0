import Synchronization

/// Statements on the one connection pinned by ``PostgresClient/withTransaction(isolation:_:)``.
/// Valid only inside that closure, and for one statement at a time.
public final class PostgresTransaction: Sendable {
    private enum State {
        case idle
        case busy
        case finished
    }

    private let client: PostgresClient
    private let connection: LibpqConnection
    private let state = Mutex(State.idle)

    init(client: PostgresClient, connection: LibpqConnection) {
        self.client = client
        self.connection = connection
    }

    /// Runs one parameterized statement inside the transaction.
    public func query(_ sql: String, _ parameters: [PostgresValue?] = [], timeout: Duration? = nil) async throws -> PostgresRows {
        try await exclusively(timeout: timeout) { connection, deadline in
            try connection.query(sql, parameters, deadline: deadline)
        }
    }

    /// Streams `rows` to a `COPY table (columns) FROM STDIN` statement in text format and
    /// returns the number of rows copied. `nil` fields are sent as NULL.
    ///
    /// Fast bulk upsert shape: `CREATE TEMP TABLE ... ON COMMIT DROP`, copy into it, then
    /// `INSERT INTO target SELECT ... FROM temp ON CONFLICT ...`, all in this transaction.
    public func copyFromStdin(_ copyStatement: String, rows: [[String?]], timeout: Duration? = nil) async throws -> Int {
        try await exclusively(timeout: timeout) { connection, deadline in
            try connection.copyFromStdin(copyStatement, rows: rows, deadline: deadline)
        }
    }

    /// Runs trusted multi-statement SQL shipped with the program (migrations), never input.
    func executeScript(_ sql: String, timeout: Duration?) async throws {
        try await exclusively(timeout: timeout) { connection, deadline in
            try connection.executeScript(sql, deadline: deadline)
        }
    }

    /// Ends the transaction's validity; called by the client before COMMIT or ROLLBACK.
    func finish() {
        let previous = state.withLock { state in
            defer { state = .finished }
            return state
        }
        precondition(previous != .busy, "a PostgresTransaction was still in use when its withTransaction closure returned")
    }

    private func exclusively<T: Sendable>(
        timeout: Duration?,
        _ work: @escaping @Sendable (LibpqConnection, ContinuousClock.Instant) throws -> T
    ) async throws -> T {
        try state.withLock { state in
            switch state {
            case .idle: state = .busy
            case .busy: throw PostgresError.protocolViolation(message: "a transaction runs one statement at a time")
            case .finished: throw PostgresError.protocolViolation(message: "the transaction has already ended")
            }
        }
        defer {
            state.withLock { state in
                if state == .busy { state = .idle }
            }
        }
        return try await client.run(on: connection, timeout: timeout, work)
    }
}
