import FXCore
import FXSupport

/// How a ``PostgresClient`` connects and how long it waits.
public struct PostgresClientConfiguration: Sendable {
    /// A libpq connection string or URI, used verbatim: `PG*` environment variables,
    /// multiple hosts and `target_session_attrs` behave as libpq documents.
    public var connectionString: String

    /// Upper bound on open connections, including ones being established.
    public var maximumConnections: Int = 10

    /// How long a caller waits for a free connection before ``PostgresError/poolExhausted``.
    public var connectionAcquireTimeout: Duration = .seconds(5)

    /// `connect_timeout` (whole seconds, per host) applied unless the connection string sets its own.
    public var connectTimeoutSeconds: Int = 5

    /// Server-side `statement_timeout` set on every connection; `nil` keeps the server default.
    public var statementTimeout: Duration? = .seconds(5)

    /// Default client-side deadline per statement, after which the statement is cancelled.
    public var queryTimeout: Duration = .seconds(6)

    /// How long to wait for the server to acknowledge a cancel before abandoning the connection.
    public var cancelGracePeriod: Duration = .seconds(2)

    /// Delay before a new connection attempt after consecutive connection failures.
    public var reconnectBackoff: ReconnectBackoff = ReconnectBackoff()

    /// Reported as `application_name` unless the connection string sets one.
    public var applicationName: String = "fxrates"

    public init(connectionString: String) {
        self.connectionString = connectionString
    }

    /// The connection string with any password replaced by `***`; safe to log.
    public var maskedConnectionString: String {
        ConnectionStringMasking.masked(connectionString)
    }
}
