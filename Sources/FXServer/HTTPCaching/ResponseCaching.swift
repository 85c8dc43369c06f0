import HTTPTypes
import Hummingbird

/// The caching headers of the `/v1` data routes and their conditional requests.
///
/// A 304 is answered after the body was computed (its hash is the tag), inside the rate limit: a
/// revalidation costs the client one request of its quota, as a full answer does, so the limit still
/// bounds what a client can make the server compute.
struct ResponseCaching: Sendable {
    /// `Cache-Control` of the latest rates and of past dates, made once.
    private let latest: String
    private let past: String

    /// - Parameter isPrivate: API keys are required, so `private`: a shared cache would otherwise hand a
    ///   keyed answer to callers without a key. `public` otherwise.
    init(isPrivate: Bool) {
        let visibility = isPrivate ? "private" : "public"
        latest = "\(visibility), max-age=\(CacheFreshness.latest.maxAgeSeconds)"
        past = "\(visibility), max-age=\(CacheFreshness.past.maxAgeSeconds)"
    }

    /// The JSON response for `body`, with `ETag` and `Cache-Control`, or a 304 when the request's
    /// `If-None-Match` names the tag of the representation it would get.
    ///
    /// A body over 1 KiB is gzip-coded when the request's `Accept-Encoding` prefers it; such a response
    /// (either way) says `Vary: Accept-Encoding`, and its coded form has a tag of its own. The 304 is
    /// decided before compressing, so a revalidation costs no compression.
    func response(_ body: ByteBuffer, freshness: CacheFreshness, for request: Request) -> Response {
        let identityTag = EntityTag.strong(of: body)
        var headers: HTTPFields = [.cacheControl: freshness == .latest ? latest : past]
        var coding = ContentCoding.identity
        if GzipBody.isCompressible(body) {
            headers[.vary] = "Accept-Encoding"
            coding = ContentCoding(acceptEncoding: request.headers[values: .acceptEncoding])
        }
        let tag = coding == .gzip ? EntityTag.gzipped(identityTag) : identityTag
        headers[.eTag] = tag
        if let condition = request.headers[.ifNoneMatch], EntityTag.matches(tag, ifNoneMatch: condition) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = MediaType.json
        if coding == .gzip {
            if let compressed = GzipBody.compress(body) {
                headers[.contentEncoding] = "gzip"
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: compressed))
            }
            headers[.eTag] = identityTag
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }
}
