import Hummingbird

/// The longest query string fxrates reads: past it, a request is answered 414 before any parameter is parsed.
///
/// No request of the API needs more (64 currency codes are 255 bytes), and a bound on the whole query bounds
/// what every parameter parser can be handed, whatever it does with it.
enum QueryLengthLimit {
    static let maximumBytes = 4096

    static func check(_ request: Request) throws {
        // The query is part of the request target, which is held as one string: only a target past the bound
        // can hold a query past it, so every other request is checked without making the query's `String`.
        guard request.uri.string.utf8.count > maximumBytes,
              let length = request.uri.query?.utf8.count, length > maximumBytes
        else { return }
        throw Problem(status: .uriTooLong,
                      detail: "the query string has \(length) bytes; at most \(maximumBytes) are accepted")
    }
}
