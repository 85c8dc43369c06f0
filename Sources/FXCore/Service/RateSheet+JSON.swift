extension RateSheet {
    /// The most bytes `writeJSONObject(into:)` may write.
    public var maximumJSONObjectLength: Int {
        2 + listedCount * (8 + ScaledDecimal.maximumTextLength)
    }

    /// Writes the sheet's rates as the JSON object the API shows, `{"AUD":"1.6","BGN":"1.9558",…}` (listed
    /// currencies in code order, those the date has no rate for left out), at the start of `out`, which must
    /// hold `maximumJSONObjectLength` bytes; returns how many bytes it wrote. Currency codes need no escaping.
    ///
    /// A year of history is some 10,000 rates, so this is one loop over the sheet's row with the grid's
    /// arrays opened once, not a call per rate from the writer of the response: over the euro a stored
    /// rate with no more digits than are shown is the shown rate, and its digits are written from its cell.
    public func writeJSONObject(into out: UnsafeMutableRawBufferPointer) -> Int {
        out[0] = UInt8(ascii: "{")
        var length = 1
        if let baseRate {
            let grid = table.grid
            let rowStart = table.row &* grid.currencies.count
            let baseColumn = listing.baseColumn
            let overEuro = baseRate == .one
            listing.columns.withUnsafeBufferPointer { columns in
                listing.codeBytes.withUnsafeBufferPointer { codes in
                    grid.significands.withUnsafeBufferPointer { significands in
                        grid.exponents.withUnsafeBufferPointer { exponents in
                            for position in 0..<columns.count {
                                // The member is written ahead of its rate; a date without that rate leaves
                                // `length` where it was, and the next member overwrites it.
                                var end = length
                                if end > 1 { out[end] = UInt8(ascii: ","); end &+= 1 }
                                out[end] = UInt8(ascii: "\"")
                                out[end &+ 1] = codes[3 &* position]
                                out[end &+ 2] = codes[3 &* position &+ 1]
                                out[end &+ 3] = codes[3 &* position &+ 2]
                                out[end &+ 4] = UInt8(ascii: "\"")
                                out[end &+ 5] = UInt8(ascii: ":")
                                out[end &+ 6] = UInt8(ascii: "\"")
                                end &+= 7
                                let rest = UnsafeMutableRawBufferPointer(rebasing: out[end...])
                                let column = columns[position]
                                var written = 0
                                if overEuro, column >= 0, column != baseColumn {
                                    let significand = significands[rowStart &+ column]
                                    if significand == 0 { continue }
                                    if significand <= Self.largestShownAsStored {
                                        written = ScaledDecimal.write(significand: significand,
                                                                      exponent: Int(exponents[rowStart &+ column]),
                                                                      into: rest)
                                    }
                                }
                                if written == 0 {
                                    guard let rate = rate(at: position, baseRate: baseRate) else { continue }
                                    written = rate.write(into: rest)
                                }
                                end &+= written
                                out[end] = UInt8(ascii: "\"")
                                length = end &+ 1
                            }
                        }
                    }
                }
            }
        }
        out[length] = UInt8(ascii: "}")
        return length &+ 1
    }
}
