import Foundation
import HTTPTypes
import Hummingbird

/// One file of the API reference (`DocsController`), read once, with the headers every answer of it carries.
struct DocsFile: Sendable {
    /// Only this origin, for everything: the page's scripts and styles are files of `/docs` (no inline
    /// script or style, so neither `'unsafe-inline'` nor `'unsafe-eval'`), it fetches `/openapi.json` and
    /// "Try it out" calls this server. `data:` images are the icons inside swagger-ui.css; they are part
    /// of the stylesheet, not requests. `default-src 'none'` refuses whatever is not named (fonts, frames,
    /// workers, objects), and the page may neither be framed nor submit a form anywhere.
    static let contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; "
        + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    /// Revalidated on every use: the files change with the server's version, under the same names, and a
    /// 304 (the `ETag` matched) costs next to nothing.
    static let cacheControl = "no-cache"

    let body: ByteBuffer
    let contentType: String
    let entityTag: String

    init(contentsOf url: URL, contentType: String) throws {
        body = ByteBuffer(data: try Data(contentsOf: url))
        self.contentType = contentType
        entityTag = EntityTag.strong(of: body)
    }

    /// The file, or a 304 when the request's `If-None-Match` names its tag.
    func response(for request: Request) -> Response {
        var headers: HTTPFields = [
            .eTag: entityTag, .cacheControl: Self.cacheControl, .contentSecurityPolicy: Self.contentSecurityPolicy,
        ]
        if let condition = request.headers[.ifNoneMatch], EntityTag.matches(entityTag, ifNoneMatch: condition) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = contentType
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }
}
