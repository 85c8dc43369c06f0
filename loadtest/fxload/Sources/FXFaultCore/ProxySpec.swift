/// One `NAME=LISTEN:UPSTREAM` argument: 127.0.0.1:LISTEN is forwarded to 127.0.0.1:UPSTREAM.
public struct ProxySpec: Sendable, Equatable {
    public let name: String
    public let listenPort: Int
    public let upstreamPort: Int

    public init(name: String, listenPort: Int, upstreamPort: Int) {
        self.name = name
        self.listenPort = listenPort
        self.upstreamPort = upstreamPort
    }

    public init?(argument: String) {
        let parts = argument.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, Self.isName(parts[0]) else { return nil }
        let ports = parts[1].split(separator: ":", omittingEmptySubsequences: false)
        guard ports.count == 2, let listen = Self.port(ports[0]), let upstream = Self.port(ports[1]) else { return nil }
        name = String(parts[0])
        listenPort = listen
        upstreamPort = upstream
    }

    /// A name is one path segment of the control API (and a JSON key needing no escape).
    static func isName(_ text: Substring) -> Bool {
        (1...64).contains(text.count) && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }

    private static func port(_ text: Substring) -> Int? {
        guard (1...5).contains(text.utf8.count), text.utf8.allSatisfy({ (48...57).contains($0) }), let port = Int(text),
            (1...65_535).contains(port)
        else { return nil }
        return port
    }
}
