import FXCore
import NIOCore

/// The bodies of `GET /v1/rates` and `GET /v1/rates/history`, written as bytes straight into one buffer:
/// a year of history is some 10,000 rates, too many for a `JSONValue` and a `String` each.
///
/// The bytes are those `JSONValue` wrote before: members in the contract's order, currencies sorted.
enum RatesResponse {
    static func body(_ sheet: RateSheet) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(64 + maximumRatesLength(of: sheet))
        writeMember("base", sheet.base.rawValue, opening: true, to: &buffer)
        writeMember("date", sheet.date.description, to: &buffer)
        buffer.writeStaticString(#","rates":"#)
        writeRates(of: sheet, to: &buffer)
        buffer.writeInteger(UInt8(ascii: "}"))
        return buffer
    }

    static func body(_ series: RateSeries) -> ByteBuffer {
        var buffer = ByteBuffer()
        // Room for the typical rate text (`"XXX":"1.234567890",` is 24 bytes) and, past it, for the worst case
        // of one date, which each date's write asks for: without it the buffer would grow, copying some
        // 150 KB, at the last dates of nearly every year-long history.
        let widest = series.sheets.map(maximumRatesLength(of:)).max() ?? 0
        buffer.reserveCapacity(96 + series.sheets.reduce(0) { $0 + 16 + $1.listedCount * 24 } + widest)
        writeMember("base", series.base.rawValue, opening: true, to: &buffer)
        writeMember("start", series.start.description, to: &buffer)
        writeMember("end", series.end.description, to: &buffer)
        buffer.writeStaticString(#","rates":{"#)
        for (index, sheet) in series.sheets.enumerated() {
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 20) { out in
                var length = 0
                if index > 0 { out[length] = UInt8(ascii: ","); length += 1 }
                out[length] = UInt8(ascii: "\"")
                length += 1
                length += sheet.date.writeISO8601(into: UnsafeMutableRawBufferPointer(rebasing: out[length...]))
                out[length] = UInt8(ascii: "\"")
                out[length + 1] = UInt8(ascii: ":")
                return length + 2
            }
            writeRates(of: sheet, to: &buffer)
        }
        buffer.writeStaticString("}}")
        return buffer
    }

    /// The most bytes `writeRates` may write for `sheet`.
    private static func maximumRatesLength(of sheet: RateSheet) -> Int {
        2 + sheet.listedCount * (8 + ScaledDecimal.maximumTextLength)
    }

    /// `{"AUD":"1.6","BGN":"1.9558",…}`; every key is a currency code, which needs no escaping.
    private static func writeRates(of sheet: RateSheet, to buffer: inout ByteBuffer) {
        let codes = sheet.listedCodeBytes
        _ = codes.withUnsafeBufferPointer { codes in
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: maximumRatesLength(of: sheet)) { out in
                out[0] = UInt8(ascii: "{")
                var length = 1
                if let baseRate = sheet.baseRate {
                    for position in 0..<sheet.listedCount {
                        // The member is written ahead of its rate; a date without that rate leaves `length`
                        // where it was, and the next member overwrites it.
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
                        let written = sheet.writeRate(at: position, baseRate: baseRate,
                                                      into: UnsafeMutableRawBufferPointer(rebasing: out[end...]))
                        guard written > 0 else { continue }
                        end &+= written
                        out[end] = UInt8(ascii: "\"")
                        length = end &+ 1
                    }
                }
                out[length] = UInt8(ascii: "}")
                return length + 1
            }
        }
    }

    /// `{"name":"value"` when opening, `,"name":"value"` after; the values here are codes and dates.
    private static func writeMember(_ name: StaticString, _ value: String, opening: Bool = false,
                                    to buffer: inout ByteBuffer) {
        buffer.writeStaticString(opening ? "{\"" : ",\"")
        buffer.writeStaticString(name)
        buffer.writeStaticString("\":\"")
        buffer.writeString(value)
        buffer.writeInteger(UInt8(ascii: "\""))
    }
}
