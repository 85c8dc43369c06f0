import FXCore

/// The body of `GET /v1/currencies`.
func currenciesJSON(_ listings: [CurrencyListing]) -> JSONValue {
    .object([("currencies", .array(listings.map { listing in
        .object([
            ("code", .string(listing.currency.code.rawValue)),
            ("name", .string(listing.currency.name)),
            ("minor_units", .integer(listing.currency.minorUnits)),
            ("first_date", .string(listing.firstDate.description)),
            ("last_date", .string(listing.lastDate.description)),
        ])
    }))])
}
