/// Errors thrown by the Redis client and subscriber.
public enum RedisError: Error, Sendable, Equatable {
    /// Redis answered the command with an error reply (`-ERR ...`).
    case server(String)
    /// No connection to Redis is up at the moment; the command was not sent.
    case connectionUnavailable
    /// The connection closed before the reply arrived.
    case connectionClosed
    /// No reply arrived within the command's timeout.
    case timeout
    /// The byte stream from Redis could not be parsed; the connection was closed.
    case protocolError(String)
    /// The configuration URL could not be parsed.
    case invalidURL(String)
    /// The reply had a shape the command does not allow.
    case unexpectedReply(RESPValue)
    /// The client or subscriber was shut down.
    case shutdown
    /// No sentinel named the primary (none answered, or none knows the name).
    case primaryUnknown
    /// The server a sentinel named is not a primary (`ROLE` said otherwise); discovery starts again.
    case notPrimary(String)
    /// Too much work is already waiting (e.g. a rate-limit lane's queue is full); nothing was sent.
    case overloaded
}

extension RedisError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .server(let message): "Redis error reply: \(message)"
        case .connectionUnavailable: "Redis connection unavailable"
        case .connectionClosed: "Redis connection closed before the reply arrived"
        case .timeout: "Redis command timed out"
        case .protocolError(let message): "Redis protocol error: \(message)"
        case .invalidURL(let reason): "invalid Redis URL: \(reason)"
        case .unexpectedReply(let value): "unexpected Redis reply: \(value)"
        case .shutdown: "Redis client shut down"
        case .primaryUnknown: "no Redis sentinel named the primary"
        case .notPrimary(let endpoint): "the Redis server at \(endpoint) is not a primary"
        case .overloaded: "Redis client overloaded: too many commands waiting"
        }
    }
}
