/// A place in an ECB history file that cannot be read, named by line and column (both from 1).
public struct ECBFormatError: Error, Equatable, Sendable, CustomStringConvertible {
    public let line: Int
    public let column: Int
    public let reason: String

    public var description: String {
        "line \(line), column \(column): \(reason)"
    }
}
