import Hummingbird

/// Builds JSON responses from `JSONValue` documents.
enum JSONBody {
    static func encode(_ value: JSONValue) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(256)
        value.write(to: &buffer)
        return buffer
    }

    static func response(_ value: JSONValue, status: HTTPResponse.Status = .ok,
                         contentType: String = MediaType.json) -> Response {
        response(encode(value), status: status, contentType: contentType)
    }

    /// A body some writer has already encoded.
    static func response(_ body: ByteBuffer, status: HTTPResponse.Status = .ok,
                         contentType: String = MediaType.json) -> Response {
        Response(status: status, headers: [.contentType: contentType], body: .init(byteBuffer: body))
    }
}
