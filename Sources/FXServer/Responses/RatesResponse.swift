import FXCore

extension RateSnapshot {
    /// The body of `GET /v1/rates`.
    var json: JSONValue {
        .object([("base", .string(base.rawValue)), ("date", .string(date.description)), ("rates", ratesJSON)])
    }

    var ratesJSON: JSONValue {
        .sortedObject(Dictionary(uniqueKeysWithValues: rates.map { ($0.key.rawValue, .string($0.value.plainText)) }))
    }
}

extension RateSeries {
    /// The body of `GET /v1/rates/history`: rates keyed by observation date, in date order.
    var json: JSONValue {
        .object([
            ("base", .string(base.rawValue)),
            ("start", .string(start.description)),
            ("end", .string(end.description)),
            ("rates", .object(snapshots.map { ($0.date.description, $0.ratesJSON) })),
        ])
    }
}
