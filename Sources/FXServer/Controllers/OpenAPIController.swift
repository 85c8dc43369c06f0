import Foundation
import Hummingbird

/// `GET /openapi.json`: the OpenAPI 3.1 document that ships with the server, read once.
struct OpenAPIController {
    let document: ByteBuffer

    init() throws {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json") else {
            throw CocoaError(.fileNoSuchFile)
        }
        document = ByteBuffer(data: try Data(contentsOf: url))
    }

    func addRoutes(to router: EndpointRouter) {
        router.on(.openAPI, use: openAPI)
    }

    @Sendable func openAPI(_ request: Request, context: FXRequestContext) -> Response {
        Response(status: .ok, headers: [.contentType: MediaType.json], body: .init(byteBuffer: document))
    }
}
