import AsyncHTTPClient
import FXStorage
import Logging
import NIOCore
import NIOHTTP1

/// Conditional GETs of a feed with a deadline on each attempt and a bounded number of retries.
struct ECBFeedFetcher {
    let client: HTTPClient
    let options: ECBSyncOptions
    let logger: Logger

    /// A failed attempt: worth another (a timeout, a refused connection, a 5xx), or final.
    private enum AttemptFailure: Error {
        case retryable(String)
        case final(ECBSyncError)
    }

    func fetch(_ url: String, validators: ECBFeedValidators?) async throws -> ECBFeedResponse {
        var failures = 0
        while true {
            do throws(AttemptFailure) {
                return try await attempt(url, validators: validators)
            } catch .final(let error) {
                throw error
            } catch .retryable(let reason) {
                failures += 1
                guard failures < options.attempts else {
                    throw ECBSyncError.unreachable(url: url, attempts: failures, lastReason: reason)
                }
                let delay = options.backoff.delay(afterFailures: failures)
                logger.warning("fetching the ECB feed failed; retrying", metadata: [
                    "url": "\(url)", "attempt": "\(failures)", "of": "\(options.attempts)", "reason": "\(reason)",
                    "retry_in_ms": "\(Int(delay / .milliseconds(1)))",
                ])
                try await Task.sleep(for: delay)
            }
        }
    }

    private func attempt(_ url: String, validators: ECBFeedValidators?) async throws(AttemptFailure) -> ECBFeedResponse {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "application/xml, application/zip, */*;q=0.5")
        request.headers.add(name: "User-Agent", value: "fxrates-sync")
        if let etag = validators?.etag { request.headers.add(name: "If-None-Match", value: etag) }
        if let lastModified = validators?.lastModified { request.headers.add(name: "If-Modified-Since", value: lastModified) }
        let deadline = NIODeadline.now() + TimeAmount(options.requestTimeout)
        do {
            let response = try await client.execute(request, deadline: deadline, logger: logger)
            switch response.status.code {
            case 304:
                return .notModified
            case 200:
                let body = try await response.body.collect(upTo: options.maximumBodyBytes)
                return .fetched(body: Array(buffer: body), validators: ECBFeedValidators(
                    etag: response.headers.first(name: "ETag"),
                    lastModified: response.headers.first(name: "Last-Modified")))
            case 408, 429, 500...599:
                throw AttemptFailure.retryable("HTTP \(response.status.code)")
            default:
                throw AttemptFailure.final(.refused(url: url, status: Int(response.status.code)))
            }
        } catch let failure as AttemptFailure {
            throw failure
        } catch is NIOTooManyBytesError {
            throw .final(.tooLarge(url: url, limit: options.maximumBodyBytes))
        } catch let error as HTTPClientError
            where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            throw .retryable("no complete answer within \(Self.seconds(options.requestTimeout))")
        } catch {
            throw .retryable(TransportFailure.reason(error))
        }
    }

    private static func seconds(_ duration: Duration) -> String {
        let milliseconds = duration / .milliseconds(1)
        return milliseconds.truncatingRemainder(dividingBy: 1000) == 0 ? "\(Int(milliseconds / 1000)) s" : "\(Int(milliseconds)) ms"
    }
}
