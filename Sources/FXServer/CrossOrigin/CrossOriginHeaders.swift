import HTTPTypes
import Hummingbird

/// The CORS headers of the cross-origin routes' responses, errors and 429s included, so that a browser
/// script can read the problem and the rate-limit state too.
struct CrossOriginHeaders: Sendable {
    let origins: CORSOrigins

    /// What a script may read besides the CORS-safelisted headers.
    static let exposedHeaders = "RateLimit, RateLimit-Policy, Retry-After, ETag, X-Request-ID"
    /// What a script may send: the API key (either form), revalidation, and its own request id.
    static let allowedHeaders = "Authorization, X-API-Key, If-None-Match, X-Request-ID"
    static let allowedMethods = "GET, HEAD"
    /// Ten minutes of cached preflights: fewer round trips, and a change of `FX_CORS_ORIGINS` reaches
    /// browsers soon (Chromium caps the value at two hours anyway).
    static let maxAgeSeconds = "600"

    func apply(to headers: inout HTTPFields, answering request: Request) {
        guard origins.isEnabled else { return }
        // With a list, the answer depends on `Origin`: a cache must not give one origin's answer to another.
        if !origins.allowsAnyOrigin { headers.append(HTTPField(name: .vary, value: "Origin")) }
        guard let allowed = origins.allowedValue(for: request.headers[.origin]) else { return }
        headers[.accessControlAllowOrigin] = allowed
        if request.method == .options {
            headers[.accessControlAllowMethods] = Self.allowedMethods
            headers[.accessControlAllowHeaders] = Self.allowedHeaders
            headers[.accessControlMaxAge] = Self.maxAgeSeconds
        } else {
            headers[.accessControlExposeHeaders] = Self.exposedHeaders
        }
    }
}
