import FXCore
import FXRedis
import FXStorage
import Logging
import ServiceLifecycle

/// Keeps this replica's caches in step with the others: rate writes, imports and key revocations
/// anywhere arrive over Redis pub/sub and drop what they touch here. After every (re)subscription it
/// reloads everything, because what was published while it was disconnected is lost.
public struct InvalidationListener: Service {
    private let subscriber: RedisSubscriber
    private let rates: ReloadableRateStore
    private let apiKeys: APIKeyCache
    private let logger: Logger

    public init(subscriber: RedisSubscriber, rates: ReloadableRateStore, apiKeys: APIKeyCache, logger: Logger) {
        self.subscriber = subscriber
        self.rates = rates
        self.apiKeys = apiKeys
        self.logger = logger
    }

    public func run() async throws {
        for await event in subscriber.events.cancelOnGracefulShutdown() {
            switch event {
            case .subscribed:
                await apply(.allRates)
                await apply(.apiKeys)
            case .message(let message):
                guard let invalidation = Invalidation(message: String(buffer: message.payload)) else {
                    logger.warning("ignoring an unknown invalidation message")
                    continue
                }
                await apply(invalidation)
            }
        }
    }

    private func apply(_ invalidation: Invalidation) async {
        do {
            switch invalidation {
            case .rates(let day): try await rates.reload(day: day)
            case .allRates: try await rates.reload()
            case .apiKeys: apiKeys.removeAll()
            }
        } catch {
            logger.warning("could not reload rates after an invalidation; the periodic refresh will",
                           metadata: ["invalidation": "\(invalidation.message)", "error": "\(error)"])
        }
    }
}
