import Foundation
import Testing

@testable import FXCore

@Suite("Days parse strictly and count exactly")
struct DayTests {
    @Test(arguments: ["2024-02-29", "1999-01-04", "2000-02-29", "2026-12-31", "0001-01-01"])
    func parsesRealDays(text: String) throws {
        let day = try #require(Day(parsing: text))
        #expect(day.description == text)
    }

    @Test(arguments: ["2023-02-29", "1900-02-29", "2024-13-01", "2024-00-10", "2024-04-31", "2024-1-01",
                      "24-01-01", "2024/01/01", "2024-01-01T00:00", "", "yyyy-mm-dd", "2024-01-0a", " 2024-01-01"])
    func rejects(text: String) {
        #expect(Day(parsing: text) == nil)
    }

    @Test func knownOffsets() throws {
        #expect(Day(parsing: "1970-01-01")?.daysSinceEpoch == 0)
        #expect(Day(parsing: "2000-03-01")?.daysSinceEpoch == 11_017)
        #expect(Day(parsing: "1969-12-31")?.daysSinceEpoch == -1)
    }

    @Test func everyDayFrom1990To2040RoundTripsAndIsConsecutive() throws {
        var previous = try #require(Day(parsing: "1989-12-31"))
        for offset in 1...18_628 {
            let day = previous.adding(days: 1)
            #expect(Day(parsing: day.description) == day, "offset \(offset)")
            #expect(day > previous)
            previous = day
        }
        #expect(previous.description == "2040-12-31")
    }

    @Test func todayIsTheUTCDate() {
        // 2026-11-28T23:30:00Z is still the 28th in UTC whatever the local zone.
        #expect(Day.today(now: Date(timeIntervalSince1970: 1_795_908_600)).description == "2026-11-28")
    }
}
