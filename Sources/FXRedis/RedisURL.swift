/// The parts of a `redis://`, `rediss://`, `redis+sentinel://`, `rediss+sentinel://`, `redis+cluster://` or
/// `rediss+cluster://` URL. Error messages never repeat the URL, since it may contain a password.
struct RedisURL {
    var topology: RedisTopology
    /// The server of a standalone URL; a cluster's first seed; for a sentinel URL, a placeholder that is never
    /// connected to (the primary is wherever the sentinels say).
    var endpoint: RedisEndpoint
    /// `rediss`: TLS on every connection, to data nodes and sentinels alike.
    var usesTLS: Bool
    var username: String?
    var password: String?
    var database: Int

    static let expectedForms = "redis[s]://[user:password@]host:port[/db], "
        + "redis[s]+sentinel://[user:password@]host:port[,host:port...]/MASTERNAME[/db] "
        + "or redis[s]+cluster://[user:password@]host:port[,host:port...]"

    init(parsing url: String) throws {
        guard let colon = url.firstIndex(of: ":"), url[colon...].hasPrefix("://") else {
            throw RedisError.invalidURL("missing scheme; expected \(Self.expectedForms)")
        }
        let scheme = url[..<colon].lowercased()
        let base = scheme.split(separator: "+", maxSplits: 1, omittingEmptySubsequences: false)
        guard let transport = base.first, transport == "redis" || transport == "rediss",
              base.count == 1 || base[1] == "sentinel" || base[1] == "cluster"
        else {
            throw RedisError.invalidURL("unsupported scheme '\(scheme)'; expected \(Self.expectedForms)")
        }
        usesTLS = transport == "rediss"
        var rest = url[url.index(colon, offsetBy: 3)...]
        var path = Substring("")
        let hasPath = rest.contains("/")
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }

        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                let user = try Self.percentDecoded(userInfo[..<colon])
                username = user.isEmpty ? nil : user
                password = try Self.percentDecoded(userInfo[userInfo.index(after: colon)...])
            } else {
                // `redis://secret@host` is the legacy password-only form.
                password = try Self.percentDecoded(userInfo)
            }
        }

        // The path without a query string, which no form uses.
        let pathText = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        switch base.count == 1 ? nil : base[1] {
        case "sentinel":
            let sentinels = try Self.endpoints(rest, defaultPort: RedisSentinelConfiguration.defaultPort)
            let segments = pathText.split(separator: "/", omittingEmptySubsequences: false)
            guard let name = segments.first, !name.isEmpty, segments.count <= 2 else {
                throw RedisError.invalidURL("a sentinel URL needs the monitored name: /MASTERNAME[/db]")
            }
            topology = .sentinel(RedisSentinelConfiguration(sentinels: sentinels, primaryName: try Self.percentDecoded(name)))
            endpoint = RedisEndpoint(host: "0.0.0.0", port: RedisConfiguration.defaultPort)
            database = try Self.database(segments.count == 2 ? segments[1] : "")
        case "cluster":
            guard !hasPath else { throw RedisError.invalidURL("a cluster URL has no path: a cluster has database 0 only") }
            // A seed's port is never guessed: cluster nodes rarely listen on 6379 alone.
            let seeds = try Self.endpoints(rest, defaultPort: nil)
            guard let first = seeds.first else { throw RedisError.invalidURL("a cluster URL needs a seed") }
            topology = .cluster(seeds: seeds)
            endpoint = first
            database = 0
        default:
            topology = .standalone
            endpoint = try Self.hostAndPort(rest, defaultPort: RedisConfiguration.defaultPort)
            database = try Self.database(pathText)
        }
    }

    private static func database(_ text: Substring) throws -> Int {
        if text.isEmpty { return 0 }
        guard let number = Int(text), number >= 0 else {
            throw RedisError.invalidURL("database must be a non-negative integer")
        }
        return number
    }

    /// `host:port[,host:port...]`: at most `maximumEndpoints`, so that a URL cannot make the client try
    /// an unbounded list on every reconnect. Without a `defaultPort`, every address needs its port.
    private static func endpoints(_ authority: Substring, defaultPort: Int?) throws -> [RedisEndpoint] {
        let parts = authority.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count <= maximumEndpoints else {
            throw RedisError.invalidURL("at most \(maximumEndpoints) addresses")
        }
        return try parts.map { try hostAndPort($0, defaultPort: defaultPort) }
    }

    static let maximumEndpoints = 64

    private static func hostAndPort(_ authority: Substring, defaultPort: Int?) throws -> RedisEndpoint {
        var hostPart = authority
        var portPart: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw RedisError.invalidURL("unterminated IPv6 address")
            }
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
            let afterBracket = authority[authority.index(after: close)...]
            if afterBracket.hasPrefix(":") {
                portPart = afterBracket.dropFirst()
            } else if !afterBracket.isEmpty {
                throw RedisError.invalidURL("unexpected characters after IPv6 address")
            }
        } else if let colon = authority.lastIndex(of: ":") {
            hostPart = authority[..<colon]
            portPart = authority[authority.index(after: colon)...]
        }
        guard !hostPart.isEmpty else {
            throw RedisError.invalidURL("missing host")
        }
        guard let portPart else {
            guard let defaultPort else { throw RedisError.invalidURL("every address needs a port: host:port") }
            return RedisEndpoint(host: String(hostPart), port: defaultPort)
        }
        guard let port = Int(portPart), (1...65535).contains(port) else {
            throw RedisError.invalidURL("port must be a number from 1 to 65535")
        }
        return RedisEndpoint(host: String(hostPart), port: port)
    }

    private static func percentDecoded(_ text: Substring) throws -> String {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                throw RedisError.invalidURL("malformed percent-encoding in credentials")
            }
            bytes.append(high << 4 | low)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
