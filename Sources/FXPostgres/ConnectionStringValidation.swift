import CLibpq

extension PostgresClientConfiguration {
    /// Whether libpq can parse `connectionString` (keyword=value or URI) and its ports are numbers.
    /// libpq's own message is not returned: it quotes the string, which may hold a password. Without libpq
    /// (`Libpq.unavailableReason`) no string is valid: none could be used.
    public static func isValidConnectionString(_ connectionString: String) -> Bool {
        guard Libpq.unavailableReason == nil else { return false }
        var message: UnsafeMutablePointer<CChar>?
        guard let options = fx_PQconninfoParse(connectionString, &message) else {
            fx_PQfreemem(message)
            return false
        }
        defer { fx_PQconninfoFree(options) }
        var option = options
        while let keyword = option.pointee.keyword {
            // libpq checks ports only when it connects; a typo there is a configuration error.
            if String(cString: keyword) == "port", let value = option.pointee.val {
                let ports = String(cString: value).split(separator: ",", omittingEmptySubsequences: false)
                guard ports.allSatisfy({ $0.isEmpty || Int($0).map { (1...65_535).contains($0) } == true }) else {
                    return false
                }
            }
            option += 1
        }
        return true
    }
}
