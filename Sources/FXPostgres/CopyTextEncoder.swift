/// Encodes rows in the text format of `COPY ... FROM STDIN`: tab-separated
/// fields, newline-terminated rows, `\N` for NULL, and backslash escapes for
/// backslash, tab, newline and carriage return.
enum CopyTextEncoder {
    static func append(row: [String?], to buffer: inout [UInt8]) throws(PostgresError) {
        for (column, field) in row.enumerated() {
            if column > 0 { buffer.append(UInt8(ascii: "\t")) }
            guard let field else {
                buffer.append(UInt8(ascii: "\\"))
                buffer.append(UInt8(ascii: "N"))
                continue
            }
            for byte in field.utf8 {
                switch byte {
                case UInt8(ascii: "\\"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
                case UInt8(ascii: "\t"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
                case UInt8(ascii: "\n"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
                case UInt8(ascii: "\r"): buffer.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
                case 0: throw .invalidParameter(message: "COPY field in column \(column) contains a NUL byte")
                default: buffer.append(byte)
                }
            }
        }
        buffer.append(UInt8(ascii: "\n"))
    }
}
