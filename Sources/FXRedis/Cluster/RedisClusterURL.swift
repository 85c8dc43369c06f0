/// The parts of a `redis+cluster://[user:password@]host:port[,host:port…]` URL. Like `RedisURL`, its errors never
/// repeat the URL, which may hold a password.
struct RedisClusterURL {
    static let scheme = "redis+cluster"
    /// More seeds than any cluster needs to be found; the list stays bounded.
    static let maximumSeeds = 64

    var seeds: [RedisEndpoint]
    var username: String?
    var password: String?

    static func matches(_ url: String) -> Bool {
        url.lowercased().hasPrefix(scheme + "://")
    }

    init(parsing url: String) throws {
        guard Self.matches(url) else { throw RedisError.invalidURL("expected redis+cluster://host:port[,host:port…]") }
        var rest = url.dropFirst(Self.scheme.count + 3)
        var userInfo = ""
        if let at = rest.lastIndex(of: "@") {
            userInfo = String(rest[...at])
            rest = rest[rest.index(after: at)...]
        }
        // A cluster has no databases, and nothing else may follow the seeds.
        guard !rest.contains(where: { "/?#@".contains($0) }) else {
            throw RedisError.invalidURL("a cluster URL is only redis+cluster://[user:password@]host:port[,host:port…]")
        }
        let parts = rest.split(separator: ",", omittingEmptySubsequences: false)
        guard (1...Self.maximumSeeds).contains(parts.count) else {
            throw RedisError.invalidURL("a cluster URL names 1 to \(Self.maximumSeeds) seeds")
        }
        seeds = []
        for part in parts {
            // The credentials and each seed go through the standalone parser, so both forms read them alike.
            let seed = try RedisURL(parsing: "redis://" + userInfo + part)
            guard Self.hasExplicitPort(part) else {
                throw RedisError.invalidURL("every cluster seed needs a port: host:port")
            }
            seeds.append(RedisEndpoint(host: seed.host, port: seed.port))
            username = seed.username
            password = seed.password
        }
    }

    private static func hasExplicitPort(_ seed: Substring) -> Bool {
        guard let colon = seed.lastIndex(of: ":") else { return false }
        return !seed[colon...].contains("]")
    }
}
