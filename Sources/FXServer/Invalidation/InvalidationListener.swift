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
        // Whole reloads run one at a time beside the messages, and those asked for while one runs collapse
        // into one more: an import announced again and again costs two reloads, not a growing queue.
        let (wholeReloads, requestWholeReload) = AsyncStream.makeStream(of: Void.self,
                                                                         bufferingPolicy: .bufferingNewest(1))
        await withDiscardingTaskGroup { group in
            group.addTask {
                for await _ in wholeReloads { await apply(.allRates) }
            }
            for await event in subscriber.events.cancelOnGracefulShutdown() {
                switch event {
                case .subscribed:
                    requestWholeReload.yield()
                    await apply(.apiKeys)
                case .message(let message):
                    switch Invalidation(message: String(buffer: message.payload)) {
                    case .allRates: requestWholeReload.yield()
                    case let invalidation?: await apply(invalidation)
                    case nil: logger.warning("ignoring an unknown invalidation message")
                    }
                }
            }
            requestWholeReload.finish()
        }
    }

    private func apply(_ invalidation: Invalidation) async {
        do {
            switch invalidation {
            case .rates(let day): try await rates.reload(day: day)
            case .allRates: try await ReloadThread.run { try await rates.reload() }
            case .apiKeys: apiKeys.removeAll()
            }
        } catch {
            logger.warning("could not reload rates after an invalidation; the periodic refresh will",
                           metadata: ["invalidation": "\(invalidation.message)", "error": "\(error)"])
        }
    }
}
