@testable import FXCore
import Testing

@Suite("TARGET calendar")
struct TARGETCalendarTests {
    static func day(_ text: String) -> Day { Day(parsing: text)! }

    @Test(arguments: [(2024, "2024-03-31"), (2025, "2025-04-20"), (2026, "2026-04-05"), (2027, "2027-03-28"),
                      (2019, "2019-04-21"), (2038, "2038-04-25"), (2285, "2285-03-22"), (2000, "2000-04-23")])
    func easterSundayFollowsTheGregorianComputus(year: Int, easter: String) {
        #expect(TARGETCalendar.easterSunday(year: year) == Self.day(easter))
    }

    @Test(arguments: ["2026-01-01", "2026-04-03", "2026-04-06", "2026-05-01", "2026-12-25", "2026-12-26",
                      "2026-11-28", "2026-11-29", "2025-04-18", "2025-04-21"])
    func closingDays(day: String) {
        #expect(!TARGETCalendar.isBusinessDay(Self.day(day)), "\(day)")
    }

    @Test(arguments: ["2026-04-02", "2026-04-07", "2026-12-24", "2026-12-31", "2026-11-27", "2026-01-02", "2026-04-30"])
    func businessDays(day: String) {
        #expect(TARGETCalendar.isBusinessDay(Self.day(day)), "\(day)")
    }

    /// (newest observation, today, business days after it up to today)
    @Test(arguments: [
        // Easter 2026: Thursday's rates stay the newest through Good Friday, the weekend and Easter Monday.
        ("2026-04-02", "2026-04-03", 0), ("2026-04-02", "2026-04-06", 0), ("2026-04-02", "2026-04-07", 1),
        ("2026-04-02", "2026-04-08", 2), ("2026-04-02", "2026-04-09", 3),
        // A normal weekend: Friday's rates until Monday.
        ("2026-11-27", "2026-11-28", 0), ("2026-11-27", "2026-11-30", 1), ("2026-11-27", "2026-12-02", 3),
        // The year's end: 25 and 26 December and 1 January are closed, 31 December is open.
        ("2026-12-24", "2026-12-28", 1), ("2026-12-31", "2027-01-01", 0), ("2026-12-31", "2027-01-04", 1),
        ("2027-12-24", "2028-01-03", 6),
        // Today, or an observation dated after today (a clock behind), is 0.
        ("2026-11-27", "2026-11-27", 0), ("2026-11-30", "2026-11-27", 0),
    ])
    func businessDaysAfterTheNewestObservation(newest: String, today: String, expected: Int) {
        #expect(TARGETCalendar.businessDays(after: Self.day(newest), through: Self.day(today)) == expected)
    }

    @Test func theCountIsBoundedForAnyInput() {
        let count = TARGETCalendar.businessDays(after: Day(daysSinceEpoch: Int.min / 2), through: Self.day("2026-11-27"))
        #expect(count > 0 && count <= TARGETCalendar.maximumSpan)
    }
}
