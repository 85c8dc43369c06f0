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
    /// TLS on every connection (`rediss`); nil for plain TCP.
    public var tls: RedisTLS?
    /// Ask these sentinels for the primary instead of connecting to `host`/`port` (`redis+sentinel`).
    public var sentinel: RedisSentinelConfiguration?

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

    /// Parses `redis[s]://[[user]:password@]host[:port][/db]` or
    /// `redis[s]+sentinel://[user:password@]host:port[,host:port...]/MASTERNAME[/db]`.
    public init(url: String) throws {
        let parsed = try RedisURL(parsing: url)
        let primary: RedisEndpoint
        var sentinel: RedisSentinelConfiguration?
        switch parsed.topology {
        case .single(let endpoint):
            primary = endpoint
        case .sentinel(let sentinels, let primaryName):
            // Where the sentinels say, once asked; never used before.
            primary = RedisEndpoint(host: "0.0.0.0", port: RedisConfiguration.defaultPort)
            sentinel = RedisSentinelConfiguration(sentinels: sentinels, primaryName: primaryName)
        case .cluster:
            // The syntax (and `rediss+cluster`'s TLS) is parsed; the cluster client is a separate one.
            throw RedisError.invalidURL("a cluster URL needs the cluster client, not RedisConfiguration")
        }
        self.init(
            host: primary.host,
            port: primary.port,
            username: parsed.username,
            password: parsed.password,
            database: parsed.database
        )
        self.sentinel = sentinel
        self.tls = parsed.usesTLS ? RedisTLS() : nil
    }

    /// What the logs call where the client connects: the server, or the primary's name behind sentinels.
    var endpointLabel: String {
        sentinel.map { "sentinel:\($0.primaryName)" } ?? endpoint.description
    }

    /// The data node of `host`/`port`; under a sentinel, a placeholder until discovery.
    public var endpoint: RedisEndpoint {
        RedisEndpoint(host: host, port: port)
    }
}

extension RedisConfiguration: CustomStringConvertible {
    /// Names the endpoint without credentials, so it is safe to log.
    public var description: String {
        let user = username.map { "\($0)@" } ?? (password == nil ? "" : "<password>@")
        let scheme = tls == nil ? "redis" : "rediss"
        if let sentinel {
            let sentinels = sentinel.sentinels.map(\.description).joined(separator: ",")
            return "\(scheme)+sentinel://\(user)\(sentinels)/\(sentinel.primaryName)/\(database)"
        }
        return "\(scheme)://\(user)\(endpoint)/\(database)"
    }
}
