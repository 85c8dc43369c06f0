/// What a `RedisConfiguration` points at: one server, or a Redis Cluster found through its seeds.
public enum RedisTopology: Sendable, Equatable {
    /// `redis://`: the configuration's `host` and `port`.
    case standalone
    /// `redis+cluster://`: any reachable seed gives the slot map; commands go to the primary of their key's slot.
    case cluster(seeds: [RedisEndpoint])
}
