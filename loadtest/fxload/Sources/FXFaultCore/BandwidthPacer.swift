/// Paces one direction at a byte rate: a slice is written when its turn comes, and the next turn is the
/// slice's transmission time later. Idle time earns no credit, so a burst after a pause still goes at the
/// rate; over any span T from a first write, at most rate × T + one slice has gone out.
public struct BandwidthPacer: Sendable, Equatable {
    public enum Step: Sendable, Equatable {
        case write(bytes: Int)
        case wait(untilNanos: UInt64)
    }

    /// Slices of about 10 ms of the rate, between 1 KiB and 64 KiB: a slow rate trickles, a fast one does
    /// not need a timer per KiB.
    public static func sliceBytes(bytesPerSecond: Double) -> Int {
        Int(min(65_536, max(1024, bytesPerSecond / 100)).rounded())
    }

    public private(set) var nextTurnNanos: UInt64 = 0

    public init() {}

    /// The next step for `available` bytes at `now`: write a slice (the turn moves on) or wait.
    public mutating func step(available: Int, bytesPerSecond: Double, nowNanos: UInt64) -> Step {
        guard nowNanos >= nextTurnNanos else { return .wait(untilNanos: nextTurnNanos) }
        let bytes = min(available, Self.sliceBytes(bytesPerSecond: bytesPerSecond))
        let transmission = UInt64((Double(bytes) / bytesPerSecond * 1e9).rounded(.up))
        nextTurnNanos = nowNanos + transmission
        return .write(bytes: bytes)
    }
}
