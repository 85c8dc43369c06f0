/// When held items of one direction are due: never before an item ahead of them, so jitter never reorders
/// bytes, and a close reaches the other side only after the data before it.
public struct HoldSchedule: Sendable, Equatable {
    public private(set) var lastDueNanos: UInt64 = 0

    public init() {}

    public mutating func due(nowNanos: UInt64, holdNanos: UInt64) -> UInt64 {
        lastDueNanos = max(lastDueNanos, nowNanos + holdNanos)
        return lastDueNanos
    }
}
