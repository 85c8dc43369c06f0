import FXCore

/// The body of `GET /v1/rates`.
struct RatesResponse: Encodable {
    let base: String
    let date: String
    let rates: [String: String]

    init(_ snapshot: RateSnapshot) {
        base = snapshot.base.rawValue
        date = snapshot.date.description
        rates = rateTexts(snapshot)
    }
}

/// The body of `GET /v1/rates/history`: rates keyed by observation date.
struct RatesHistoryResponse: Encodable {
    let base: String
    let start: String
    let end: String
    let rates: [String: [String: String]]

    init(_ series: RateSeries) {
        base = series.base.rawValue
        start = series.start.description
        end = series.end.description
        rates = Dictionary(uniqueKeysWithValues: series.snapshots.map { ($0.date.description, rateTexts($0)) })
    }
}

private func rateTexts(_ snapshot: RateSnapshot) -> [String: String] {
    Dictionary(uniqueKeysWithValues: snapshot.rates.map { ($0.key.rawValue, $0.value.plainText) })
}
