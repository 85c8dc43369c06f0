import FXCore

/// The body of `GET /v1/currencies`.
struct CurrenciesResponse: Encodable {
    struct Entry: Encodable {
        let code: String
        let name: String
        let minorUnits: Int
        let firstDate: String
        let lastDate: String

        enum CodingKeys: String, CodingKey {
            case code, name
            case minorUnits = "minor_units"
            case firstDate = "first_date"
            case lastDate = "last_date"
        }
    }

    let currencies: [Entry]

    init(_ listings: [CurrencyListing]) {
        currencies = listings.map {
            Entry(code: $0.currency.code.rawValue, name: $0.currency.name, minorUnits: $0.currency.minorUnits,
                  firstDate: $0.firstDate.description, lastDate: $0.lastDate.description)
        }
    }
}
