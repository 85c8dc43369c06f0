/// `http://HOST:PORT` with a literal IPv4 or IPv6 host: a load generator should not measure a resolver,
/// and the harness only ever targets loopback addresses.
public struct TargetURL: Sendable {
    public let host: String
    public let port: Int
    /// The Host header's value.
    public let authority: String

    public init?(_ text: String) {
        guard text.hasPrefix("http://") else { return nil }
        var rest = text.dropFirst("http://".count)
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard !rest.contains("/"), !rest.isEmpty else { return nil }
        let hostPart: Substring
        let portPart: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            hostPart = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            portPart = after.isEmpty ? nil : (after.hasPrefix(":") ? after.dropFirst() : nil)
            if !after.isEmpty && portPart == nil { return nil }
        } else if let colon = rest.lastIndex(of: ":") {
            hostPart = rest[..<colon]
            portPart = rest[rest.index(after: colon)...]
        } else {
            hostPart = rest
            portPart = nil
        }
        let port = portPart.map { Int($0) } ?? 80
        guard let port, (1...65535).contains(port), !hostPart.isEmpty else { return nil }
        host = String(hostPart)
        self.port = port
        authority = String(rest)
    }
}
