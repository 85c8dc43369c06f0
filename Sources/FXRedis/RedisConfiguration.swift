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
    /// TLS on every connection (`rediss`), to data nodes, sentinels and cluster nodes alike; nil for plain TCP.
    public var tls: RedisTLS?
    /// One server (`host`, `port`), a primary the sentinels name, or a cluster found through its seeds.
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

    /// Parses `redis[s]://[[user]:password@]host[:port][/db]`,
    /// `redis[s]+sentinel://[user:password@]host:port[,host:port...]/MASTERNAME[/db]` or
    /// `redis[s]+cluster://[user:password@]host:port[,host:port...]` (`host`/`port` are then the first seed).
    public init(url: String) throws {
        let parsed = try RedisURL(parsing: url)
        self.init(
            host: parsed.endpoint.host,
            port: parsed.endpoint.port,
            username: parsed.username,
            password: parsed.password,
            database: parsed.database
        )
        topology = parsed.topology
        tls = parsed.usesTLS ? RedisTLS() : nil
    }

    /// The sentinels to ask for the primary (`redis+sentinel`), nil for the other topologies; setting nil makes
    /// the configuration standalone (how a sentinel itself is talked to).
    public var sentinel: RedisSentinelConfiguration? {
        get {
            if case .sentinel(let sentinel) = topology { sentinel } else { nil }
        }
        set {
            if let newValue {
                topology = .sentinel(newValue)
            } else if case .sentinel = topology {
                topology = .standalone
            }
        }
    }

    /// What the logs call where the client connects: the server, the primary's name behind sentinels, or the
    /// cluster's seeds.
    var endpointLabel: String {
        switch topology {
        case .standalone: endpoint.description
        case .sentinel(let sentinel): "sentinel:\(sentinel.primaryName)"
        case .cluster(let seeds): "cluster:\(seeds.map(\.description).joined(separator: ","))"
        }
    }

    /// The data node of `host`/`port`; under a sentinel, a placeholder until discovery.
    public var endpoint: RedisEndpoint {
        RedisEndpoint(host: host, port: port)
    }
}

extension RedisConfiguration: CustomStringConvertible {
    /// Names the endpoint without credentials, so it is safe to log.
    public var description: String {
        let scheme = tls == nil ? "redis" : "rediss"
        switch topology {
        case .standalone:
            return "\(scheme)://\(credentialsDescription)\(endpoint)/\(database)"
        case .sentinel(let sentinel):
            let sentinels = sentinel.sentinels.map(\.description).joined(separator: ",")
            return "\(scheme)+sentinel://\(credentialsDescription)\(sentinels)/\(sentinel.primaryName)/\(database)"
        case .cluster(let seeds):
            return "\(scheme)+cluster://\(credentialsDescription)\(seeds.map(\.description).joined(separator: ","))"
        }
    }
}

extension RedisConfiguration {
    /// `user@`, `<password>@` or nothing: never the password itself.
    var credentialsDescription: String {
        username.map { "\($0)@" } ?? (password == nil ? "" : "<password>@")
    }

    /// This configuration aimed at one node of a cluster (or at a seed), for that node's connection; its TLS
    /// settings go along, so every node's connection is made alike.
    func aimed(at endpoint: RedisEndpoint) -> RedisConfiguration {
        var configuration = self
        configuration.host = endpoint.host
        configuration.port = endpoint.port
        return configuration
    }
}
