import Foundation
import NIOCore

/// An IP address as rate limits see it. IPv4-mapped IPv6 (`::ffff:a.b.c.d`, what a socket listening on `::`
/// reports for an IPv4 client) is its IPv4 address, so it matches IPv4 networks and counts where IPv4 does.
public struct ClientAddress: Sendable, Hashable {
    /// 4 bytes for IPv4, 16 for IPv6.
    let bytes: [UInt8]

    init?(bytes: [UInt8]) {
        switch bytes.count {
        case 4: self.bytes = bytes
        case 16 where bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF:
            self.bytes = Array(bytes[12...])
        case 16: self.bytes = bytes
        default: return nil
        }
    }

    /// An address as peers and proxies write it: `a.b.c.d`, `a.b.c.d:port`, an IPv6 address, `[v6]` or
    /// `[v6]:port`, with spaces around it ignored. Anything else (host names, zones, a bad port) is nil.
    public init?(parsing text: some StringProtocol) {
        let text = text.trimmingCharacters(in: .whitespaces)
        guard text.utf8.count <= 64 else { return nil }
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            let rest = text[text.index(after: close)...]
            guard rest.isEmpty || (rest.first == ":" && Self.isPort(rest.dropFirst())),
                  let bytes = Self.literal(text[text.index(after: text.startIndex)..<close], family: AF_INET6)
            else { return nil }
            self.init(bytes: bytes)
        } else if let address = ClientAddress(literal: text) {
            self = address
        } else {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, Self.isPort(parts[1]), let bytes = Self.literal(parts[0], family: AF_INET) else {
                return nil
            }
            self.init(bytes: bytes)
        }
    }

    /// A socket's address; nil for a Unix domain socket.
    init?(socketAddress: SocketAddress) {
        switch socketAddress {
        case .v4(let address):
            var bytes = address.address.sin_addr
            self.init(bytes: withUnsafeBytes(of: &bytes) { Array($0) })
        case .v6(let address):
            var bytes = address.address.sin6_addr
            self.init(bytes: withUnsafeBytes(of: &bytes) { Array($0) })
        case .unixDomainSocket:
            return nil
        }
    }

    /// An address literal alone, as `inet_pton` reads it: no brackets, no port.
    init?(literal text: some StringProtocol) {
        guard let bytes = Self.literal(text, family: AF_INET) ?? Self.literal(text, family: AF_INET6) else { return nil }
        self.init(bytes: bytes)
    }

    /// The address in its usual text form (IPv6 compressed by `inet_ntop`).
    public var text: String {
        if bytes.count == 4 {
            // At most 15 bytes: Swift keeps it inline, without an allocation.
            var text = String(bytes[0])
            for byte in bytes.dropFirst() {
                text.append(".")
                text.append(String(byte))
            }
            return text
        }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let written = bytes.withUnsafeBytes { address in
            inet_ntop(AF_INET6, address.baseAddress, &buffer, socklen_t(buffer.count)) != nil
        }
        return written ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "::"
    }

    /// What the limits count against: an IPv4 address alone, an IPv6 address as its network of
    /// `ipv6PrefixLength` bits (`2001:db8:1:2::/64`), since one IPv6 host usually holds a whole /64.
    /// At most 43 characters, so a limiter key built from it is bounded without hashing.
    func bucket(ipv6PrefixLength: Int) -> String {
        guard bytes.count == 16, ipv6PrefixLength < 128 else { return text }
        var masked = bytes
        for index in masked.indices {
            let kept = min(8, max(0, ipv6PrefixLength - index * 8))
            masked[index] &= kept == 8 ? 0xFF : ~(0xFF >> UInt8(kept))
        }
        return (ClientAddress(bytes: masked)?.text ?? text) + "/" + String(ipv6PrefixLength)
    }

    private static func literal(_ text: some StringProtocol, family: Int32) -> [UInt8]? {
        var storage = in6_addr()
        let parsed = withUnsafeMutableBytes(of: &storage) { buffer in
            inet_pton(family, String(text), buffer.baseAddress) == 1
        }
        guard parsed else { return nil }
        return withUnsafeBytes(of: &storage) { Array($0.prefix(family == AF_INET ? 4 : 16)) }
    }

    private static func isPort(_ text: some StringProtocol) -> Bool {
        (1...5).contains(text.utf8.count) && text.utf8.allSatisfy { (0x30...0x39).contains($0) }
            && Int(text).map { $0 <= 65_535 } == true
    }
}
