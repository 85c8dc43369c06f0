import Foundation

extension Decimal {
    /// Plain notation with the fewest digits that hold the value ("1.1172", "136").
    public var plainText: String {
        description
    }

    /// Plain notation with exactly `scale` fraction digits, padding with zeros ("1.50" at scale 2).
    /// Round first: this does not round.
    public func plainText(scale: Int) -> String {
        let text = description
        guard scale > 0 else { return text }
        let fraction = text.firstIndex(of: ".").map { text.distance(from: $0, to: text.endIndex) - 1 } ?? -1
        if fraction < 0 {
            return text + "." + String(repeating: "0", count: scale)
        }
        return text + String(repeating: "0", count: max(0, scale - fraction))
    }
}
