/// Runs `operation`, cancelling it when `deadline` passes; if it then ends in `CancellationError`, throws
/// `timeoutError` instead.
///
/// Whatever `operation` returns is returned, even when it arrives as the deadline passes: a value that
/// carries a resource (a leased connection) is never dropped. `operation` must end promptly when cancelled.
/// The deadline is enforced in the caller's own task, so it holds even when no background work is running.
public func withDeadline<Value: Sendable>(
    _ deadline: ContinuousClock.Instant,
    timeoutError: any Error,
    _ operation: @escaping @Sendable () async throws -> Value
) async throws -> Value {
    try await withThrowingTaskGroup(of: Outcome<Value>.self) { group in
        group.addTask {
            do {
                return .finished(.success(try await operation()))
            } catch {
                return .finished(.failure(error))
            }
        }
        group.addTask {
            try? await Task.sleep(until: deadline, clock: .continuous)
            return .deadlinePassed
        }
        var timedOut = false
        while let outcome = try await group.next() {
            switch outcome {
            case .deadlinePassed:
                // Cancelled along with the group when the caller was cancelled: not a timeout.
                guard !Task.isCancelled else { continue }
                timedOut = true
                group.cancelAll()
            case .finished(let result):
                group.cancelAll()
                if timedOut, case .failure(let error) = result, error is CancellationError {
                    throw timeoutError
                }
                return try result.get()
            }
        }
        // Unreachable: the operation's child always reports.
        throw timeoutError
    }
}

private enum Outcome<Value: Sendable>: Sendable {
    case finished(Swift.Result<Value, any Error>)
    case deadlinePassed
}
