import FXCore

/// The body of `GET /v1/convert`. Every decimal is a string: JSON numbers become binary floats in clients.
struct ConversionResponse: Encodable {
    let from: String
    let to: String
    let amount: String
    let rate: String
    let result: String
    let date: String

    init(_ conversion: Conversion) {
        from = conversion.from.rawValue
        to = conversion.to.rawValue
        amount = conversion.amount.text
        rate = conversion.rate.plainText
        result = conversion.result.plainText(scale: conversion.minorUnits)
        date = conversion.date.description
    }
}
