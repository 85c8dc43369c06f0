/// One result row: text cells (PostgreSQL's text output format), `nil` for SQL NULL.
public struct PostgresRow: Sendable, Hashable {
    public let columns: [String]
    public let cells: [String?]

    public init(columns: [String], cells: [String?]) {
        precondition(columns.count == cells.count, "a row needs exactly one cell per column")
        self.columns = columns
        self.cells = cells
    }

    /// The raw text of a cell (`nil` for NULL); throws if there is no such column.
    public func text(column: String) throws(PostgresError) -> String? {
        cells[try index(of: column)]
    }

    /// Decodes a non-NULL cell; throws for NULL, a missing column or malformed text.
    public func decode<T: PostgresDecodable>(_ type: T.Type, column: String) throws(PostgresError) -> T {
        guard let value = try decode(T?.self, column: column) else {
            throw .decoding(column: column, message: "is NULL, expected \(T.self)")
        }
        return value
    }

    /// Decodes a nullable cell; NULL becomes `nil`.
    public func decode<T: PostgresDecodable>(_ type: T?.Type, column: String) throws(PostgresError) -> T? {
        guard let text = try text(column: column) else { return nil }
        guard let value = T(postgresText: text) else {
            throw .decoding(column: column, message: "is not a valid \(T.self)")
        }
        return value
    }

    private func index(of column: String) throws(PostgresError) -> Int {
        guard let index = columns.firstIndex(of: column) else {
            throw .decoding(column: column, message: "no such column in the result")
        }
        return index
    }
}
