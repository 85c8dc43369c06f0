import Foundation

/// Writes a history in the ECB file format that `ECBHistoryParser` reads, newest date first: the form in
/// which replicas share their rate snapshot through Redis.
public enum ECBHistoryWriter {
    private static let notAvailable = Array("N/A".utf8)

    public static func csv(_ history: RateHistory) -> Data {
        let grid = history.grid
        var header = "Date," + grid.currencies.map(\.rawValue).joined(separator: ",") + ",\n"
        var bytes: [UInt8] = []
        bytes.reserveCapacity(header.utf8.count + grid.days.count * (12 + grid.currencies.count * 9))
        header.withUTF8 { bytes.append(contentsOf: $0) }
        let rowLimit = 12 + grid.currencies.count * (ScaledDecimal.maximumTextLength + 1)
        for row in grid.days.indices.reversed() {
            bytes.appendBytes(upTo: rowLimit) { out in
                var length = grid.days[row].writeISO8601(into: out)
                for column in grid.currencies.indices {
                    out[length] = UInt8(ascii: ",")
                    length += 1
                    let rest = UnsafeMutableRawBufferPointer(rebasing: out[length...])
                    if let rate = grid.rate(row: row, column: column) {
                        length += rate.write(into: rest)
                    } else {
                        rest.copyBytes(from: notAvailable)
                        length += notAvailable.count
                    }
                }
                out[length] = UInt8(ascii: ",")
                out[length + 1] = UInt8(ascii: "\n")
                return length + 2
            }
        }
        return Data(bytes)
    }
}

extension Array where Element == UInt8 {
    /// Appends what `write` puts at the start of a buffer of `limit` bytes, returning how many it wrote.
    mutating func appendBytes(upTo limit: Int, _ write: (UnsafeMutableRawBufferPointer) -> Int) {
        let start = count
        append(contentsOf: repeatElement(0, count: limit))
        let written = withUnsafeMutableBytes { write(UnsafeMutableRawBufferPointer(rebasing: $0[start...])) }
        removeLast(limit - written)
    }
}
