import FXStorage

extension RatesUpdateOutcome {
    /// The body of `PUT /v1/admin/rates/{date}`: `old` is absent for a rate the date and source did not have.
    func json(for update: RatesUpdate) -> JSONValue {
        .object([
            ("date", .string(update.date.description)),
            ("base", .string(update.base.rawValue)),
            ("source", .string(update.source)),
            ("changed", .sortedObject(Dictionary(uniqueKeysWithValues: changed.map { code, change in
                (code.rawValue, .object((change.old.map { [("old", JSONValue.string($0))] } ?? []) + [("new", .string(change.new))]))
            }))),
            ("unchanged", .array(unchanged.map { .string($0.rawValue) })),
        ])
    }
}

extension RatesDeletion {
    /// The body of `DELETE /v1/admin/rates/{date}`: every deleted rate with its source and the value it had.
    var json: JSONValue {
        .object([
            ("date", .string(date.description)),
            ("deleted", .array(rows.map { row in
                .object([("source", .string(row.source)), ("quote", .string(row.quote)), ("rate", .string(row.rate))])
            })),
        ])
    }
}
