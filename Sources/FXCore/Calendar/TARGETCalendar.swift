/// The days TARGET2, the euro area's payment system, is open: the days the ECB publishes reference rates.
///
/// Closed on Saturdays, Sundays, 1 January, Good Friday, Easter Monday, 1 May, 25 and 26 December
/// (the calendar since 2002; 31 December was also closed in 1999–2001, which no staleness check needs).
/// Easter moves, so counting days without the calendar mistakes Easter for a missed import.
public enum TARGETCalendar {
    public static func isBusinessDay(_ day: Day) -> Bool {
        guard !isWeekend(day) else { return false }
        let (year, month, dayOfMonth) = day.components
        switch (month, dayOfMonth) {
        case (1, 1), (5, 1), (12, 25), (12, 26): return false
        default: break
        }
        let easter = easterSunday(year: year)
        return day != easter.adding(days: -2) && day != easter.adding(days: 1)
    }

    /// Business days after `newest` up to and including `today`: 0 when `newest` is today or later. The
    /// count a staleness alert compares with: on a business day the ECB publishes at about 16:00 CET, so
    /// until then yesterday's rates are 1 day old.
    public static func businessDays(after newest: Day, through today: Day) -> Int {
        guard newest < today else { return 0 }
        // Bounded: a history that stopped in 1999 is ~7,000 business days old, counted in microseconds.
        let start = max(newest.daysSinceEpoch + 1, today.daysSinceEpoch - maximumSpan)
        return (start...today.daysSinceEpoch).count { isBusinessDay(Day(daysSinceEpoch: $0)) }
    }

    /// Far beyond any staleness worth counting exactly; keeps the count bounded for any input.
    static let maximumSpan = 36_600

    static func isWeekend(_ day: Day) -> Bool {
        // 1970-01-01 was a Thursday: (days + 3) mod 7 is 0 on Mondays, 5 and 6 at the weekend.
        let weekday = ((day.daysSinceEpoch + 3) % 7 + 7) % 7
        return weekday >= 5
    }

    /// Easter Sunday of the Gregorian calendar: the anonymous computus (Meeus/Jones/Butcher).
    public static func easterSunday(year: Int) -> Day {
        let a = year % 19
        let b = year / 100
        let c = year % 100
        let d = b / 4
        let e = b % 4
        let f = (b + 8) / 25
        let g = (b - f + 1) / 3
        let h = (19 * a + b - d - g + 15) % 30
        let i = c / 4
        let k = c % 4
        let l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31
        let dayOfMonth = (h + l - 7 * m + 114) % 31 + 1
        return Day(year: year, month: month, day: dayOfMonth)
    }
}
