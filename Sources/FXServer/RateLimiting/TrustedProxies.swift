import Foundation

/// Networks whose `X-Forwarded-For` is believed (`FX_TRUSTED_PROXIES`). Anyone else could write any
/// address into that header, so for them the TCP peer is the client.
public struct TrustedProxies: Sendable, Equatable {
    /// An IPv4 or IPv6 network such as `10.0.0.0/8` or `fd00::/8`; a bare address is a /32 or /128.
    struct Network: Sendable, Equatable {
        let address: [UInt8]
        let prefixLength: Int

        init?(_ text: some StringProtocol) {
            let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), let address = TrustedProxies.bytes(of: parts[0]) else { return nil }
            let maximum = address.count * 8
            guard let length = parts.count == 2 ? Int(parts[1]) : maximum, (0...maximum).contains(length) else {
                return nil
            }
            self.address = address
            self.prefixLength = length
        }

        func contains(_ bytes: [UInt8]) -> Bool {
            guard bytes.count == address.count else { return false }
            var remaining = prefixLength
            for (candidate, network) in zip(bytes, address) where remaining > 0 {
                let mask: UInt8 = remaining >= 8 ? 0xFF : ~(0xFF >> remaining)
                guard candidate & mask == network & mask else { return false }
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

    /// The client's address: the peer, unless the peer is trusted, in which case the right-most address
    /// of `X-Forwarded-For` that is not itself a trusted proxy.
    public func clientAddress(peer: String, forwardedFor: [String]) -> String {
        guard !networks.isEmpty, isTrusted(peer) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        for hop in hops.reversed() {
            guard TrustedProxies.bytes(of: hop) != nil else { return peer }
            if !isTrusted(hop) { return hop }
        }
        return hops.first ?? peer
    }

    private func isTrusted(_ address: String) -> Bool {
        guard let bytes = TrustedProxies.bytes(of: address) else { return false }
        return networks.contains { $0.contains(bytes) }
    }

    /// The 4 or 16 bytes of an IP address in text form.
    static func bytes(of text: some StringProtocol) -> [UInt8]? {
        let text = String(text)
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }
}
