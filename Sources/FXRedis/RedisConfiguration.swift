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
    /// One server (`host`, `port`), or a cluster found through its seeds.
    public var topology: RedisTopology = .standalone

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
        if RedisClusterURL.matches(url) {
            try self.init(clusterURL: url)
            return
        }
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
        if case .cluster(let seeds) = topology {
            return "redis+cluster://\(credentialsDescription)\(seeds.map(\.description).joined(separator: ","))"
        }
        return "redis://\(credentialsDescription)\(host):\(port)/\(database)"
    }
}

extension RedisConfiguration {
    /// Parses `redis+cluster://[user:password@]host:port[,host:port…]`; the first seed is also `host`/`port`.
    init(clusterURL url: String) throws {
        let cluster = try RedisClusterURL(parsing: url)
        guard let first = cluster.seeds.first else { throw RedisError.invalidURL("a cluster URL needs a seed") }
        self.init(host: first.host, port: first.port, username: cluster.username, password: cluster.password)
        topology = .cluster(seeds: cluster.seeds)
    }

    /// `user@`, `<password>@` or nothing: never the password itself.
    var credentialsDescription: String {
        username.map { "\($0)@" } ?? (password == nil ? "" : "<password>@")
    }

    /// This configuration aimed at one node of a cluster (or at a seed), for that node's connection.
    func aimed(at endpoint: RedisEndpoint) -> RedisConfiguration {
        var configuration = self
        configuration.host = endpoint.host
        configuration.port = endpoint.port
        return configuration
    }
}
