import Foundation

/// Numbers and times in the one line a command prints on standard output for the person who ran it.
enum ResultLine {
    /// `221702` as `221,702`: the comma is fixed, so the line reads the same in every locale.
    static func grouped(_ number: Int) -> String {
        let digits = Array(String(number.magnitude))
        var text = number < 0 ? "-" : ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return text
    }

    /// `1.8 s`, from a duration measured with `ContinuousClock`.
    static func seconds(_ duration: Duration) -> String {
        let tenths = (duration / .milliseconds(100)).rounded()
        return String(format: "%.1f s", tenths / 10)
    }
}
