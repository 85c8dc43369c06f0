/// Everything that can go wrong talking to PostgreSQL, typed so callers can map
/// it to a response (e.g. 503 for an unavailable database, 409 for a conflict).
public enum PostgresError: Error, Sendable, Equatable {
    /// The server rejected a statement. `sqlState` is the five-character SQLSTATE code.
    case server(sqlState: String, message: String, detail: String?)
    /// No connection could be established (server down, bad credentials, backoff in effect).
    case connectionFailed(message: String)
    /// An established connection broke while in use; the statement's outcome is unknown.
    case connectionLost(message: String)
    /// The client-side deadline passed; the statement was cancelled on the server.
    case timeout
    /// No pooled connection became free before the acquisition deadline.
    case poolExhausted
    /// The client has been shut down.
    case clientShutdown
    /// A parameter could not be sent (PostgreSQL text cannot contain NUL bytes).
    case invalidParameter(message: String)
    /// A result cell was missing, NULL or not of the requested type.
    case decoding(column: String, message: String)
    /// Unexpected protocol state reported by libpq.
    case protocolViolation(message: String)

    /// The SQLSTATE code for server errors, `nil` otherwise.
    public var sqlState: String? {
        if case .server(let sqlState, _, _) = self { return sqlState }
        return nil
    }

    /// A human-readable message. Never contains a password.
    public var message: String {
        switch self {
        case .server(_, let message, _): message
        case .connectionFailed(let message): message
        case .connectionLost(let message): message
        case .timeout: "the statement exceeded its client-side deadline and was cancelled"
        case .poolExhausted: "no database connection became available in time"
        case .clientShutdown: "the database client has been shut down"
        case .invalidParameter(let message): message
        case .decoding(let column, let message): "column \(column): \(message)"
        case .protocolViolation(let message): message
        }
    }

    /// True for errors after which retrying against a new connection may succeed.
    public var isTransient: Bool {
        switch self {
        case .connectionFailed, .connectionLost, .timeout, .poolExhausted: true
        case .server(let sqlState, _, _): sqlState.hasPrefix("08") || sqlState.hasPrefix("57P") || sqlState == "40001" || sqlState == "40P01"
        case .clientShutdown, .invalidParameter, .decoding, .protocolViolation: false
        }
    }
}

extension PostgresError: CustomStringConvertible {
    public var description: String {
        if let sqlState { return "PostgresError(\(sqlState)): \(message)" }
        return "PostgresError: \(message)"
    }
}
