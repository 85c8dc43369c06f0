import CLibpq

extension PostgresClientConfiguration {
    /// Whether libpq can parse `connectionString` (keyword=value or URI). libpq's own message is not
    /// returned: it quotes the string, which may hold a password.
    public static func isValidConnectionString(_ connectionString: String) -> Bool {
        var message: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(connectionString, &message) else {
            PQfreemem(message)
            return false
        }
        PQconninfoFree(options)
        return true
    }
}
