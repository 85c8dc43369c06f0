import CLibpq

/// libpq, which the binary opens when PostgreSQL is first used instead of linking it (`CLibpq`): a replica that
/// serves the embedded history never maps it, nor the Kerberos, LDAP and GnuTLS libraries it pulls in.
enum Libpq {
    /// Nil once libpq is loaded, else why it cannot be (not installed, or without a function fxrates calls).
    /// The first call opens it; every `fx_PQ*` call must come after one that returned nil.
    static var unavailableReason: String? {
        fx_libpq_load().map { String(cString: $0) }
    }
}
