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
        // Reloads run one at a time beside the messages; what is asked for while one runs merges into the one
        // piece of work that waits (`PendingReloads`), so a flood of invalidations costs the reload under way
        // and one more, not a growing queue, and reading messages never waits for a reload.
        let pending = SharedPendingReloads()
        let (wakeUps, wakeUp) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        await withDiscardingTaskGroup { group in
            group.addTask {
                for await _ in wakeUps {
                    while let work = pending.take() { await reload(work) }
                }
            }
            var unknownMessages = UnknownMessageLog()
            for await event in subscriber.events.cancelOnGracefulShutdown() {
                switch event {
                case .subscribed, .messagesDropped:
                    // Whatever was published meanwhile is lost: reload everything it could have touched.
                    pending.update { $0.requestEverything() }
                    wakeUp.yield()
                    apiKeys.removeAll()
                case .message(let message):
                    switch Invalidation(message: String(buffer: message.payload)) {
                    case .allRates:
                        pending.update { $0.requestEverything() }
                        wakeUp.yield()
                    case .rates(let day):
                        pending.update { $0.request(day) }
                        wakeUp.yield()
                    case .apiKeys:
                        apiKeys.removeAll()
                    case nil:
                        if let unknown = unknownMessages.shouldLog(now: .now) {
                            logger.warning("ignoring unknown invalidation messages; at most one such line a minute",
                                           metadata: ["invalidation.unknown_since_last_line": "\(unknown)"])
                        }
                    }
                }
            }
            wakeUp.finish()
        }
    }

    private func reload(_ work: PendingReloads.Work) async {
        do {
            switch work {
            case .everything:
                try await ReloadThread.run { try await rates.reload() }
            case .days(let days):
                for day in days { try await rates.reload(day: day) }
            }
        } catch {
            logger.warning("could not reload rates after an invalidation; the periodic refresh will",
                           metadata: ["invalidation": "\(work)", "error": "\(error)"])
        }
    }
}
