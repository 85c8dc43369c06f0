/// What an import did.
public struct ECBImportSummary: Sendable, Equatable {
    /// Rates in the file.
    public let values: Int
    /// Observation dates in the file.
    public let dates: Int
    /// Rows of `rates` inserted or changed: 0 when the file was imported before.
    public let changedRows: Int

    public init(values: Int, dates: Int, changedRows: Int) {
        self.values = values
        self.dates = dates
        self.changedRows = changedRows
    }
}
