import FXLifecycle
import FXRedis
import FXServer
import Logging

/// Tells running replicas, through Redis, what a command changed, when `REDIS_URL` is set. Without Redis
/// (or if it cannot be reached within two seconds) the replicas' periodic refresh catches up instead.
func announce(_ invalidation: Invalidation, settings: Settings, logger: Logger) async {
    guard let configuration = try? settings.redisConfiguration() else { return }
    let redis = RedisClient(configuration: configuration, logger: logger)
    try? await withRunning(redis, logger: logger) { redis in
        do {
            try await redis.waitUntilConnected(timeout: .seconds(2))
            await InvalidationPublisher(redis: redis, logger: logger).publish(invalidation)
        } catch {
            logger.warning("Redis is unreachable: running replicas will notice on their next refresh")
        }
    }
}
