import Foundation
import Hummingbird

/// `GET /docs`: the API reference, Swagger UI rendering `/openapi.json`; `GET /docs/{asset}`: the files
/// that page loads, a fixed set (anything else is a 404 problem).
///
/// Every file ships with the server (`Resources/docs`) and is read once: the page needs no network but
/// this server's, and its Content-Security-Policy (`DocsFile.contentSecurityPolicy`) allows nothing else.
struct DocsController {
    private let page: DocsFile
    private let assets: [String: DocsFile]

    init() throws {
        guard let directory = Bundle.module.url(forResource: "docs", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile)
        }
        func file(_ name: String, _ contentType: String) throws -> DocsFile {
            try DocsFile(contentsOf: directory.appendingPathComponent(name), contentType: contentType)
        }
        page = try file("index.html", "text/html; charset=utf-8")
        let licence = try file("LICENSE", "text/plain; charset=utf-8")
        assets = try [
            "swagger-ui-bundle.js": file("swagger-ui-bundle.js", "text/javascript; charset=utf-8"),
            "swagger-ui.css": file("swagger-ui.css", "text/css; charset=utf-8"),
            "fxrates-docs.js": file("fxrates-docs.js", "text/javascript; charset=utf-8"),
            "LICENSE": licence,
            // The name the bundle's first line points its readers to.
            "swagger-ui-bundle.js.LICENSE.txt": licence,
        ]
    }

    func addRoutes(to router: EndpointRouter) {
        router.on(.docs, use: docs)
        router.on(.docsAsset, use: asset)
    }

    @Sendable func docs(_ request: Request, context: FXRequestContext) -> Response {
        page.response(for: request)
    }

    @Sendable func asset(_ request: Request, context: FXRequestContext) throws -> Response {
        guard let name = context.parameters.get("asset"), let file = assets[name] else {
            throw Problem.notFound(path: request.uri.path)
        }
        return file.response(for: request)
    }
}
