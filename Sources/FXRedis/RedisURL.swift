/// The parts of a `redis://` URL. Error messages never repeat the URL, since
/// it may contain a password.
struct RedisURL {
    var host: String
    var port: Int
    var username: String?
    var password: String?
    var database: Int

    init(parsing url: String) throws {
        guard let colon = url.firstIndex(of: ":"), url[colon...].hasPrefix("://") else {
            throw RedisError.invalidURL("missing scheme; expected redis://host:port")
        }
        let scheme = url[..<colon].lowercased()
        guard scheme == "redis" else {
            throw RedisError.invalidURL("unsupported scheme '\(scheme)'; only redis:// is supported")
        }
        var rest = url[url.index(colon, offsetBy: 3)...]
        var path = Substring("")
        if let slash = rest.firstIndex(of: "/") {
            path = rest[rest.index(after: slash)...]
            rest = rest[..<slash]
        }

        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                let user = try Self.percentDecoded(userInfo[..<colon])
                username = user.isEmpty ? nil : user
                password = try Self.percentDecoded(userInfo[userInfo.index(after: colon)...])
            } else {
                // `redis://secret@host` is the legacy password-only form.
                password = try Self.percentDecoded(userInfo)
            }
        }

        (host, port) = try Self.hostAndPort(rest)

        let databaseText = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        if databaseText.isEmpty {
            database = 0
        } else if let number = Int(databaseText), number >= 0 {
            database = number
        } else {
            throw RedisError.invalidURL("database must be a non-negative integer")
        }
    }

    private static func hostAndPort(_ authority: Substring) throws -> (String, Int) {
        var hostPart = authority
        var portPart: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw RedisError.invalidURL("unterminated IPv6 address")
            }
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
            let afterBracket = authority[authority.index(after: close)...]
            if afterBracket.hasPrefix(":") {
                portPart = afterBracket.dropFirst()
            } else if !afterBracket.isEmpty {
                throw RedisError.invalidURL("unexpected characters after IPv6 address")
            }
        } else if let colon = authority.lastIndex(of: ":") {
            hostPart = authority[..<colon]
            portPart = authority[authority.index(after: colon)...]
        }
        guard !hostPart.isEmpty else {
            throw RedisError.invalidURL("missing host")
        }
        guard let portPart else {
            return (String(hostPart), RedisConfiguration.defaultPort)
        }
        guard let port = Int(portPart), (1...65535).contains(port) else {
            throw RedisError.invalidURL("port must be a number from 1 to 65535")
        }
        return (String(hostPart), port)
    }

    private static func percentDecoded(_ text: Substring) throws -> String {
        var bytes: [UInt8] = []
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                throw RedisError.invalidURL("malformed percent-encoding in credentials")
            }
            bytes.append(high << 4 | low)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
