import Foundation

/// The browser origins allowed to read the API's GET responses (`FX_CORS_ORIGINS`).
///
/// Origins are matched exactly, as browsers serialize them (`https://app.example.com`, with a port only
/// when it is not the scheme's default): no wildcards inside a name, since `*.example.com` would also
/// admit whatever subdomain an attacker can get. `*` alone admits every origin; the API uses no cookies,
/// so `*` exposes nothing a server-side client could not already fetch.
public struct CORSOrigins: Sendable, Equatable {
    /// The most origins `FX_CORS_ORIGINS` may list, so the set stays small.
    static let maximumCount = 64
    /// Longer than any origin a browser sends for a real host name (253 characters plus scheme and port).
    static let maximumOriginLength = 270

    /// `*`: any origin, answered with `Access-Control-Allow-Origin: *` and no `Vary: Origin`.
    public let allowsAnyOrigin: Bool
    public let origins: Set<String>

    /// No cross-origin access: no CORS headers, and `OPTIONS` stays a 405.
    public static let none = CORSOrigins(allowsAnyOrigin: false, origins: [])

    private init(allowsAnyOrigin: Bool, origins: Set<String>) {
        self.allowsAnyOrigin = allowsAnyOrigin
        self.origins = origins
    }

    public var isEnabled: Bool { allowsAnyOrigin || !origins.isEmpty }

    /// `*`, or comma-separated origins such as `https://app.example.com,http://localhost:3000`; nil when
    /// an entry is not a lower-case `http`/`https` origin without path, or there are too many.
    public init?(parsing text: String) {
        let entries = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        if entries == ["*"] {
            self.init(allowsAnyOrigin: true, origins: [])
            return
        }
        guard !entries.isEmpty, entries.count <= Self.maximumCount,
              entries.allSatisfy(Self.isSerializedOrigin) else { return nil }
        self.init(allowsAnyOrigin: false, origins: Set(entries))
    }

    /// What `Access-Control-Allow-Origin` answers to a request's `Origin`, or nil when it is not allowed.
    func allowedValue(for origin: String?) -> String? {
        if allowsAnyOrigin { return "*" }
        guard let origin, origins.contains(origin) else { return nil }
        return origin
    }

    /// `scheme://host[:port]` as a browser serializes it: lower case, no path, query, user or trailing slash.
    static func isSerializedOrigin(_ text: String) -> Bool {
        guard text.utf8.count <= maximumOriginLength else { return false }
        let remainder: Substring
        if text.hasPrefix("https://") {
            remainder = text.dropFirst(8)
        } else if text.hasPrefix("http://") {
            remainder = text.dropFirst(7)
        } else {
            return false
        }
        let parts = remainder.split(separator: ":", omittingEmptySubsequences: false)
        guard let host = parts.first, !host.isEmpty, parts.count <= 2,
              host.utf8.allSatisfy({ isHostByte($0) }) else { return false }
        if parts.count == 2 {
            guard let port = Int(parts[1]), (1...65_535).contains(port), String(port) == parts[1] else { return false }
        }
        return true
    }

    /// Lower-case letters, digits, `-` and `.`: a host name or IPv4 address as a browser serializes it.
    private static func isHostByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }
}
