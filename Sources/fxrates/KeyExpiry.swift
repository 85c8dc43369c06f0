import ArgumentParser
import FXCore
import Foundation

/// `keys create --expires`: a day (`2027-01-01`, at 00:00 UTC) or an ISO 8601 time (`2027-01-01T12:00:00Z`).
enum KeyExpiry {
    static func parse(_ text: String) throws -> Date {
        if let day = Day(parsing: text) {
            return Date(timeIntervalSince1970: TimeInterval(day.daysSinceEpoch) * 86_400)
        }
        guard let time = try? Date.ISO8601FormatStyle().parse(text) else {
            throw ValidationError("expected a date (2027-01-01) or an ISO 8601 time (2027-01-01T12:00:00Z)")
        }
        return time
    }
}
