import Synchronization

/// How many connections one server has open, shared by every connection's `ConnectionGuardHandler`:
/// each counts itself in when its pipeline is built and out when its pipeline is torn down.
final class OpenConnections: Sendable {
    private let count = Atomic<Int>(0)

    /// Counts one more connection and hands back how many are open with it.
    func opened() -> Int {
        count.wrappingAdd(1, ordering: .relaxed).newValue
    }

    func closed() {
        count.wrappingSubtract(1, ordering: .relaxed)
    }
}
