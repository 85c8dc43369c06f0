import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing

/// A local HTTP server playing www.ecb.europa.eu for the sync tests: `respond` answers the n-th request
/// (from 1), and every request's headers are kept for the test to read.
final class ECBFeedServer: Sendable {
    private let received = Mutex<[HTTPFields]>([])
    /// Requests answered so far, their headers in order.
    var requests: [HTTPFields] { received.withLock { $0 } }

    static func with<T: Sendable>(
        _ respond: @escaping @Sendable (_ number: Int, _ request: Request) async -> Response,
        _ body: @Sendable (_ server: ECBFeedServer, _ baseURL: String) async throws -> T
    ) async throws -> T {
        let server = ECBFeedServer()
        let router = Router()
        router.get("{file}") { request, _ -> Response in
            let number = server.received.withLock { $0.append(request.headers); return $0.count }
            return await respond(number, request)
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        let result = Mutex<T?>(nil)
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let value = try await body(server, "http://127.0.0.1:\(port)")
            result.withLock { $0 = value }
        }
        return try #require(result.withLock { $0 })
    }

    /// 200 with `bytes`, and the validators given.
    static func feed(_ bytes: [UInt8], etag: String? = nil, lastModified: String? = nil) -> Response {
        var headers: HTTPFields = [.contentType: "text/xml"]
        if let etag { headers[.eTag] = etag }
        if let lastModified { headers[.lastModified] = lastModified }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func status(_ status: HTTPResponse.Status) -> Response {
        Response(status: status)
    }
}
