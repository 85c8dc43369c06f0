import AsyncHTTPClient
import FXCore
import FXPostgres
import FXStorage
import Foundation
import Logging
import NIOCore
import NIOPosix

/// `fxrates sync ecb`: fetches an ECB feed with the validators stored for its URL, parses it as strictly as
/// the CSV importer does, and imports it through the same merge, with an audit row and the new validators
/// in one transaction. It never deletes: a date the feed no longer carries keeps its rates.
///
/// The HTTP client (AsyncHTTPClient) lives for one run and is shut down before it returns, whatever happens.
public struct ECBSync: Sendable {
    static let actor = "cli:sync"

    let database: PostgresClient
    let options: ECBSyncOptions
    let logger: Logger

    public init(database: PostgresClient, options: ECBSyncOptions = ECBSyncOptions(), logger: Logger) {
        self.database = database
        self.options = options
        self.logger = logger
    }

    public func run(_ feed: ECBFeed, url: String? = nil) async throws -> ECBSyncResult {
        let url = url ?? feed.defaultURL
        guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme?.lowercased()),
              parsed.host?.isEmpty == false
        else { throw ECBSyncError.invalidURL(url) }
        let file = parsed.lastPathComponent.isEmpty || parsed.lastPathComponent == "/" ? url : parsed.lastPathComponent

        let stored = try await ECBFeedValidators.stored(for: url, in: database)
        let response = try await withHTTPClient { client in
            try await ECBFeedFetcher(client: client, options: options, logger: logger).fetch(url, validators: stored)
        }
        guard case .fetched(let body, let validators) = response else { return .notModified(file: file) }

        let history = try Self.parse(body, as: feed, file: file)
        guard let oldest = history.tables.first?.date, let newest = history.tables.last?.date else {
            throw ECBSyncError.malformed(file: file, reason: "the feed holds no rates")
        }
        do {
            let summary = try await ECBImporter(client: database).importRates(
                history, audit: ECBImportAudit(actor: Self.actor, url: url),
                alsoInTransaction: { try await validators.store(for: url, in: $0) })
            return .imported(file: file, summary: summary, days: oldest...newest)
        } catch let error as ECBImportError {
            throw ECBSyncError.malformed(file: file, reason: error.description)
        }
    }

    static func parse(_ body: [UInt8], as feed: ECBFeed, file: String) throws(ECBSyncError) -> RateHistory {
        do {
            if feed.isXML { return try ECBFeedParser.parse(body) }
            return try ECBHistoryParser.parse(try ECBArchive.csv(from: Data(body)))
        } catch let error as ECBFormatError {
            throw .malformed(file: file, reason: error.description)
        } catch {
            throw .malformed(file: file, reason: "\(error)")
        }
    }

    /// A client with the sync's timeouts on the shared NIO event loops, shut down after `body` even when it throws.
    private func withHTTPClient<T>(_ body: (HTTPClient) async throws -> T) async throws -> T {
        var configuration = HTTPClient.Configuration()
        let timeout = TimeAmount(options.requestTimeout)
        configuration.timeout = .init(connect: timeout, read: timeout)
        configuration.redirectConfiguration = .follow(max: 3, allowCycles: false)
        let client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration,
                                backgroundActivityLogger: logger)
        do {
            let result = try await body(client)
            try await client.shutdown()
            return result
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}
