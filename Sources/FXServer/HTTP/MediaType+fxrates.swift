extension MediaType {
    static let problemJSON = "application/problem+json"
    static let healthJSON = "application/health+json"
    static let json = "application/json; charset=utf-8"
}

/// The content types fxrates answers with.
enum MediaType {}
