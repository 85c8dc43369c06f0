import FXCore
import NIOCore

extension Conversion {
    /// The body of `GET /v1/convert`. Every decimal is a string: JSON numbers become binary floats in clients.
    var json: ByteBuffer {
        // Room for the longest texts the rate and the result reserve, so that the buffer never grows.
        var writer = JSONWriter(capacity: 512)
        writer.beginObject()
        writer.member("from", from.rawValue)
        writer.member("to", to.rawValue)
        writer.member("amount", amount.text)
        writer.member("rate", maximumLength: ScaledDecimal.maximumTextLength) { rate.write(into: $0) }
        writer.member("result", maximumLength: MinorUnitAmount.maximumTextLength) { result.write(into: $0) }
        writer.member("date", maximumLength: 16) { date.writeISO8601(into: $0) }
        writer.endObject()
        return writer.buffer
    }
}
