import Foundation

/// Networks whose `X-Forwarded-For` is believed (`FX_TRUSTED_PROXIES`). Anyone else could write any
/// address into that header, so for them the TCP peer is the client.
public struct TrustedProxies: Sendable, Equatable {
    /// An IPv4 or IPv6 network such as `10.0.0.0/8` or `fd00::/8`; a bare address is a /32 or /128. An
    /// IPv4-mapped network (`::ffff:10.0.0.0/104`) is the IPv4 network it maps, as its addresses are.
    struct Network: Sendable, Equatable {
        let address: [UInt8]
        let prefixLength: Int

        init?(_ text: some StringProtocol) {
            let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), let address = ClientAddress(literal: parts[0]) else { return nil }
            let written = parts[0].contains(":") ? 128 : 32
            guard let length = parts.count == 2 ? Int(parts[1]) : written, (0...written).contains(length) else {
                return nil
            }
            // A mapped network shorter than /96 reaches outside the mapped range: refuse it rather than guess.
            let mapped = written == 128 && address.bytes.count == 4
            guard !mapped || length >= 96 else { return nil }
            self.address = address.bytes
            self.prefixLength = mapped ? length - 96 : length
        }

        func contains(_ candidate: ClientAddress) -> Bool {
            guard candidate.bytes.count == address.count else { return false }
            var remaining = prefixLength
            for (byte, network) in zip(candidate.bytes, address) where remaining > 0 {
                let mask: UInt8 = remaining >= 8 ? 0xFF : ~(0xFF >> remaining)
                guard byte & mask == network & mask else { return false }
                remaining -= 8
            }
            return true
        }
    }

    private let networks: [Network]

    public static let none = TrustedProxies(networks: [])

    /// False when no proxy is trusted: `X-Forwarded-For` need not even be read.
    public var trustsAnyProxy: Bool { !networks.isEmpty }

    init(networks: [Network]) {
        self.networks = networks
    }

    /// Parses a comma-separated list of CIDRs; nil when any entry is malformed.
    public init?(parsing text: String) {
        var networks: [Network] = []
        for entry in text.split(separator: ",") {
            guard let network = Network(entry.trimmingCharacters(in: .whitespaces)) else { return nil }
            networks.append(network)
        }
        self.networks = networks
    }

    /// The client's address: the peer, unless the peer is trusted, in which case the right-most hop of
    /// `X-Forwarded-For` (every line of it, in order, as one list) that is not itself a trusted proxy; the
    /// left-most hop when all are trusted.
    ///
    /// - Returns: nil when the walk reaches a hop that is no address (`ip:port`, `[v6]` and `[v6]:port` are
    ///   addresses). Every hop the walk reaches was written by a host we trust about a host it trusts, so
    ///   such a hop is a proxy that writes a form we cannot read, or a client inside the trusted networks
    ///   writing what it likes. Counting it against the peer would put every client of that proxy in one
    ///   bucket; a bucket per text would give whoever writes the text a fresh quota with every request.
    ///   The caller refuses the request instead.
    func clientAddress(peer: ClientAddress, forwardedFor: [String]) -> ClientAddress? {
        guard !networks.isEmpty, isTrusted(peer) else { return peer }
        var leftmost = peer
        for line in forwardedFor.reversed() {
            for hop in line.split(separator: ",", omittingEmptySubsequences: false).reversed() {
                guard let address = ClientAddress(parsing: hop) else { return nil }
                if !isTrusted(address) { return address }
                leftmost = address
            }
        }
        return leftmost
    }

    /// ``clientAddress(peer:forwardedFor:)`` in text, for tests and tools; nil also for a peer that is no address.
    public func clientAddress(peer: String, forwardedFor: [String]) -> String? {
        ClientAddress(parsing: peer).flatMap { clientAddress(peer: $0, forwardedFor: forwardedFor) }?.text
    }

    private func isTrusted(_ address: ClientAddress) -> Bool {
        networks.contains { $0.contains(address) }
    }
}
