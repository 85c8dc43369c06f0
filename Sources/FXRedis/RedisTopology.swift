/// What a `RedisConfiguration` points at: one server, a primary that sentinels name, or a Redis Cluster found
/// through its seeds. Each may run over TLS (`rediss…`), which is the configuration's `tls`, not a topology.
public enum RedisTopology: Sendable, Equatable {
    /// `redis[s]://`: the configuration's `host` and `port`.
    case standalone
    /// `redis[s]+sentinel://`: ask these sentinels for the primary; `host`/`port` are unused until then.
    case sentinel(RedisSentinelConfiguration)
    /// `redis[s]+cluster://`: any reachable seed gives the slot map; commands go to the primary of their key's slot.
    case cluster(seeds: [RedisEndpoint])
}
