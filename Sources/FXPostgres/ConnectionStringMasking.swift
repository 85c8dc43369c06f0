/// Produces a loggable copy of a libpq connection string with every password
/// replaced by `***`, for both the URI form and the `keyword=value` form.
enum ConnectionStringMasking {
    static let mask = "***"

    static func masked(_ connectionString: String) -> String {
        let trimmed = connectionString.drop { $0.isWhitespace }
        if trimmed.hasPrefix("postgresql://") || trimmed.hasPrefix("postgres://") {
            return maskedURI(connectionString)
        }
        return maskedKeywordValue(connectionString)
    }

    /// `postgres://user:secret@host/db?password=secret` → `postgres://user:***@host/db?password=***`
    private static func maskedURI(_ uri: String) -> String {
        guard let schemeEnd = uri.range(of: "://") else { return uri }
        let queryStart = uri[schemeEnd.upperBound...].firstIndex(of: "?") ?? uri.endIndex
        var result = String(uri[..<schemeEnd.upperBound])
        let beforeQuery = uri[schemeEnd.upperBound..<queryStart]
        // The last "@" before the query ends the user info, so a raw "@" in a password is still masked.
        if let at = beforeQuery.lastIndex(of: "@") {
            let userInfo = beforeQuery[..<at]
            if let colon = userInfo.firstIndex(of: ":") {
                result += userInfo[...colon] + mask
            } else {
                result += userInfo
            }
            result += beforeQuery[at...]
        } else {
            result += beforeQuery
        }
        guard queryStart < uri.endIndex else { return result }
        let parameters = uri[uri.index(after: queryStart)...].split(separator: "&", omittingEmptySubsequences: false)
        let maskedParameters = parameters.map { parameter -> String in
            guard let equals = parameter.firstIndex(of: "=") else { return String(parameter) }
            let key = parameter[..<equals]
            return key == "password" ? key + "=" + mask : String(parameter)
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
                if !closed, keyword == "password" {
                    return output + mask
                }
            } else {
                while index < characters.count, !characters[index].isWhitespace {
                    index += characters[index] == "\\" ? 2 : 1
                }
            }
            index = min(index, characters.count)
            output += keyword == "password" ? mask : String(characters[valueStart..<index])
        }
        return output
    }
}
