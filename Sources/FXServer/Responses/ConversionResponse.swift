import FXCore
import NIOCore

extension Conversion {
    /// The body of `GET /v1/convert`. Every decimal is a string: JSON numbers become binary floats in clients.
    var json: ByteBuffer {
        var writer = JSONWriter(capacity: 160)
        writer.beginObject()
        writer.member("from", from.rawValue)
        writer.member("to", to.rawValue)
        writer.member("amount", amount.text)
        writer.member("rate", rate.plainText)
        writer.member("result", result.plainText(scale: minorUnits))
        writer.member("date", date.description)
        writer.endObject()
        return writer.buffer
    }
}
