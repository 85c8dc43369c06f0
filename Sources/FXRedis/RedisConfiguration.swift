import FXCore
import FXSupport

/// Where and how to connect to Redis.
public struct RedisConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var username: String?
    public var password: String?
    public var database: Int
    /// How many connections `RedisClient` keeps open and uses round-robin.
    public var connectionCount: Int
    /// The default timeout of one command; a call may override it.
    public var commandTimeout: Duration
    /// Bounds the TCP connect and the AUTH/SELECT handshake.
    public var connectTimeout: Duration
    public var reconnectPolicy: ReconnectBackoff

    public static let defaultPort = 6379

    public init(
        host: String = "127.0.0.1",
        port: Int = RedisConfiguration.defaultPort,
        username: String? = nil,
        password: String? = nil,
        database: Int = 0,
        connectionCount: Int = 2,
        commandTimeout: Duration = .milliseconds(50),
        connectTimeout: Duration = .seconds(1),
        reconnectPolicy: ReconnectBackoff = ReconnectBackoff(maximumDelay: .seconds(5))
    ) {
        precondition(connectionCount > 0, "a Redis client needs at least one connection")
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.connectionCount = connectionCount
        self.commandTimeout = commandTimeout
        self.connectTimeout = connectTimeout
        self.reconnectPolicy = reconnectPolicy
    }

    /// Parses `redis://[[user]:password@]host[:port][/db]`.
    public init(url: String) throws {
        let endpoint = try RedisURL(parsing: url)
        self.init(
            host: endpoint.host,
            port: endpoint.port,
            username: endpoint.username,
            password: endpoint.password,
            database: endpoint.database
        )
    }
}

extension RedisConfiguration: CustomStringConvertible {
    /// Names the endpoint without credentials, so it is safe to log.
    public var description: String {
        let user = username.map { "\($0)@" } ?? (password == nil ? "" : "<password>@")
        return "redis://\(user)\(host):\(port)/\(database)"
    }
}
