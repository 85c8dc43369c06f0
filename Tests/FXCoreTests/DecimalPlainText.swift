import Foundation

extension Decimal {
    /// How responses wrote amounts before they were computed in integers: the oracle the integer
    /// conversion is compared with. Plain notation with exactly `scale` fraction digits, padding with
    /// zeros ("1.50" at scale 2). Round first: this does not round.
    func plainText(scale: Int) -> String {
        let text = description
        guard scale > 0 else { return text }
        let fraction = text.firstIndex(of: ".").map { text.distance(from: $0, to: text.endIndex) - 1 } ?? -1
        if fraction < 0 {
            return text + "." + String(repeating: "0", count: scale)
        }
        return text + String(repeating: "0", count: max(0, scale - fraction))
    }
}
