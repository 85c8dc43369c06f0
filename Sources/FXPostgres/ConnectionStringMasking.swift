import Foundation

/// Produces a loggable copy of a libpq connection string with every secret replaced by `***`,
/// for both the URI form and the `keyword=value` form.
///
/// It errs towards masking too much: a string libpq would reject (a raw "@" or "/" in a URI's password,
/// a keyword in the wrong case) is logged too, and whatever it meant as a secret must not show.
enum ConnectionStringMasking {
    static let mask = "***"

    static func masked(_ connectionString: String) -> String {
        let trimmed = connectionString.drop { $0.isWhitespace }
        if trimmed.hasPrefix("postgresql://") || trimmed.hasPrefix("postgres://") {
            return maskedURI(connectionString)
        }
        return maskedKeywordValue(connectionString)
    }

    /// `password`, `sslpassword`, and any misspelling or casing of them that libpq would refuse.
    private static func isSecret<Keyword: StringProtocol>(_ keyword: Keyword) -> Bool {
        let decoded = String(keyword).removingPercentEncoding ?? String(keyword)
        return decoded.lowercased().contains("password") || keyword.lowercased().contains("password")
    }

    /// `postgres://user:secret@host/db?sslpassword=secret` → `postgres://user:***@host/db?sslpassword=***`
    private static func maskedURI(_ uri: String) -> String {
        guard let schemeEnd = uri.range(of: "://") else { return uri }
        let rest = uri[schemeEnd.upperBound...]
        var result = String(uri[..<schemeEnd.upperBound])
        var hostStart = rest.startIndex
        // libpq ends the user info at the first "@", and a "?" before it is part of the password.
        // Masking runs to the last "@" before the query that follows, so that a password with a raw "@"
        // (which libpq would split) is hidden whole.
        if let firstAt = rest.firstIndex(of: "@") {
            let queryStart = rest[firstAt...].firstIndex(of: "?") ?? rest.endIndex
            let at = rest[..<queryStart].lastIndex(of: "@") ?? firstAt
            let userInfo = rest[..<at]
            if let colon = userInfo.firstIndex(of: ":") {
                result += userInfo[...colon] + mask
            } else {
                result += userInfo
            }
            hostStart = at
        }
        let queryStart = rest[hostStart...].firstIndex(of: "?") ?? rest.endIndex
        result += rest[hostStart..<queryStart]
        guard queryStart < rest.endIndex else { return result }
        let parameters = rest[rest.index(after: queryStart)...].split(separator: "&", omittingEmptySubsequences: false)
        let maskedParameters = parameters.map { parameter -> String in
            guard let equals = parameter.firstIndex(of: "=") else { return String(parameter) }
            let key = parameter[..<equals]
            return isSecret(key) ? key + "=" + mask : String(parameter)
        }
        return result + "?" + maskedParameters.joined(separator: "&")
    }

    /// `host=db password='a b' user=x` → `host=db password=*** user=x`
    ///
    /// Follows libpq's grammar: `keyword = value`, where a value is either
    /// single-quoted (with `\'` and `\\` escapes) or runs to the next whitespace.
    /// An unterminated password value masks everything after it.
    private static func maskedKeywordValue(_ text: String) -> String {
        let characters = Array(text)
        var output = ""
        var index = 0

        func copyWhitespace() {
            while index < characters.count, characters[index].isWhitespace {
                output.append(characters[index])
                index += 1
            }
        }

        while index < characters.count {
            copyWhitespace()
            var keyword = ""
            while index < characters.count, characters[index] != "=", !characters[index].isWhitespace {
                keyword.append(characters[index])
                index += 1
            }
            output += keyword
            copyWhitespace()
            guard index < characters.count, characters[index] == "=" else { continue }
            output.append("=")
            index += 1
            copyWhitespace()

            let valueStart = index
            if index < characters.count, characters[index] == "'" {
                index += 1
                var closed = false
                while index < characters.count {
                    if characters[index] == "\\" {
                        index += 2
                    } else if characters[index] == "'" {
                        index += 1
                        closed = true
                        break
                    } else {
                        index += 1
                    }
                }
                if !closed, isSecret(keyword) {
                    return output + mask
                }
            } else {
                while index < characters.count, !characters[index].isWhitespace {
                    index += characters[index] == "\\" ? 2 : 1
                }
            }
            index = min(index, characters.count)
            output += isSecret(keyword) ? mask : String(characters[valueStart..<index])
        }
        return output
    }
}
