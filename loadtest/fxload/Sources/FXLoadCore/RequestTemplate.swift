/// One kind of request in a mix: GET paths chosen uniformly, sent anonymously or with one of several API keys
/// (`X-API-Key`), optionally from a pool of `X-Forwarded-For` addresses, with the statuses it expects.
public struct RequestTemplate: Sendable, Equatable {
    public let name: String
    public let weight: UInt64
    public let paths: [String]
    public let apiKeys: [String]
    public let forwardedForPool: UInt32?
    public let forwardedForBase: UInt32
    public let headers: [(name: String, value: String)]
    /// Statuses that count as success; anything else is the error kind "unexpected_status".
    public let expectedStatuses: Set<Int>

    public static let defaultExpected: Set<Int> = Set(200...299).union([304])
    static let defaultForwardedBase: UInt32 = 10 << 24 | 128 << 16  // 10.128.0.0

    public init(
        name: String, weight: UInt64, paths: [String], apiKeys: [String] = [], forwardedForPool: UInt32? = nil,
        forwardedForBase: UInt32? = nil, headers: [(name: String, value: String)] = [],
        expectedStatuses: Set<Int> = RequestTemplate.defaultExpected
    ) throws(MixError) {
        guard !name.isEmpty, name.count <= 64 else { throw .invalid("a template name has 1 to 64 characters") }
        guard weight > 0, weight <= 1_000_000 else { throw .invalid("\(name): weight must be 1 to 1000000") }
        guard !paths.isEmpty, paths.count <= 10_000 else { throw .invalid("\(name): 1 to 10000 paths") }
        for path in paths where !Self.isRequestTarget(path) {
            throw .invalid("\(name): a path starts with / and has no spaces or control characters: \(path)")
        }
        guard apiKeys.count <= 10_000 else { throw .invalid("\(name): at most 10000 API keys") }
        for key in apiKeys where key.isEmpty || !Self.isHeaderValue(key) {
            throw .invalid("\(name): an API key is printable ASCII")
        }
        if let pool = forwardedForPool, pool == 0 || pool > 1 << 24 {
            throw .invalid("\(name): forwarded_for_pool must be 1 to 16777216")
        }
        for header in headers where !Self.isToken(header.name) || !Self.isHeaderValue(header.value) {
            throw .invalid("\(name): bad header \(header.name)")
        }
        guard !expectedStatuses.isEmpty, expectedStatuses.allSatisfy({ (100...599).contains($0) }) else {
            throw .invalid("\(name): expected statuses are 100 to 599")
        }
        self.name = name
        self.weight = weight
        self.paths = paths
        self.apiKeys = apiKeys
        self.forwardedForPool = forwardedForPool
        self.forwardedForBase = forwardedForBase ?? Self.defaultForwardedBase
        self.headers = headers
        self.expectedStatuses = expectedStatuses
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.name == rhs.name && lhs.weight == rhs.weight && lhs.paths == rhs.paths && lhs.apiKeys == rhs.apiKeys
            && lhs.forwardedForPool == rhs.forwardedForPool && lhs.forwardedForBase == rhs.forwardedForBase
            && lhs.headers.map(\.name) == rhs.headers.map(\.name)
            && lhs.headers.map(\.value) == rhs.headers.map(\.value) && lhs.expectedStatuses == rhs.expectedStatuses
    }

    static func isRequestTarget(_ path: String) -> Bool {
        path.first == "/" && path.utf8.count <= 8192 && path.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }

    static func isHeaderValue(_ value: String) -> Bool {
        value.utf8.count <= 8192 && value.utf8.allSatisfy { ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x09 }
    }

    static func isToken(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 256
            && name.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || "!#$%&'*+-.^_`|~".utf8.contains(byte)
            }
    }
}

/// Dotted-quad text of an IPv4 address held as a number.
public func dottedQuad(_ address: UInt32) -> String {
    "\(address >> 24).\(address >> 16 & 255).\(address >> 8 & 255).\(address & 255)"
}

/// The number of a dotted-quad IPv4 address, or nil.
public func parseDottedQuad(_ text: String) -> UInt32? {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 4 else { return nil }
    var address: UInt32 = 0
    for part in parts {
        guard part.count <= 3, let octet = UInt32(part), octet <= 255 else { return nil }
        address = address << 8 | octet
    }
    return address
}
