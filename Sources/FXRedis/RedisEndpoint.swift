/// One Redis server's address: a data node, a sentinel, or a primary a sentinel named.
public struct RedisEndpoint: Sendable, Hashable {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }
}

extension RedisEndpoint: CustomStringConvertible {
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
