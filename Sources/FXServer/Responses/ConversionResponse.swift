import FXCore

extension Conversion {
    /// The body of `GET /v1/convert`. Every decimal is a string: JSON numbers become binary floats in clients.
    var json: JSONValue {
        .object([
            ("from", .string(from.rawValue)),
            ("to", .string(to.rawValue)),
            ("amount", .string(amount.text)),
            ("rate", .string(rate.plainText)),
            ("result", .string(result.plainText(scale: minorUnits))),
            ("date", .string(date.description)),
        ])
    }
}
