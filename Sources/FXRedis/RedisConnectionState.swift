/// Whether a client or subscriber currently has a usable connection to Redis.
public enum RedisConnectionState: Sendable, Hashable {
    case connected
    case disconnected
}
