import FXRedis
import Logging

/// Announces an invalidation to every replica. A failed announcement is logged, not thrown: the write
/// it follows is committed, and the other replicas' periodic refresh catches up without it.
public struct InvalidationPublisher: Sendable {
    private let redis: RedisClient
    private let logger: Logger

    public init(redis: RedisClient, logger: Logger) {
        self.redis = redis
        self.logger = logger
    }

    public func publish(_ invalidation: Invalidation) async {
        do {
            _ = try await redis.publish(RedisArgument(invalidation.message), to: Invalidation.channel)
        } catch {
            logger.warning("could not announce an invalidation; other replicas catch up on their next refresh",
                           metadata: ["invalidation": "\(invalidation.message)", "error": "\(error)"])
        }
    }
}
