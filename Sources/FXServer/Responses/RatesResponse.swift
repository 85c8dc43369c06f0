import FXCore
import NIOCore

/// The bodies of `GET /v1/rates` and `GET /v1/rates/history`, written as bytes straight into one buffer:
/// a year of history is some 10,000 rates, too many for a `JSONValue` and a `String` each.
///
/// The bytes are those `JSONValue` wrote before: members in the contract's order, currencies sorted.
enum RatesResponse {
    static func body(_ sheet: RateSheet) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(64 + sheet.maximumJSONObjectLength)
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
        let widest = series.sheets.map(\.maximumJSONObjectLength).max() ?? 0
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

    /// `{"AUD":"1.6","BGN":"1.9558",…}`.
    private static func writeRates(of sheet: RateSheet, to buffer: inout ByteBuffer) {
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: sheet.maximumJSONObjectLength) { out in
            sheet.writeJSONObject(into: out)
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
