import CLibpq

/// Owns a `PGcancel` object. `PQcancel` is thread-safe and may run while the
/// connection's own thread is blocked in a query, so this is shared freely.
final class CancelHandle: @unchecked Sendable {
    private let handle: OpaquePointer

    init?(connection: OpaquePointer) {
        guard let handle = fx_PQgetCancel(connection) else { return nil }
        self.handle = handle
    }

    deinit {
        fx_PQfreeCancel(handle)
    }

    /// Asks the server to cancel the running statement. Blocking; returns libpq's
    /// error text when the request could not be delivered.
    func cancel() -> String? {
        var errorBuffer = [CChar](repeating: 0, count: 256)
        let sent = fx_PQcancel(handle, &errorBuffer, Int32(errorBuffer.count))
        return sent == 1 ? nil : String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
