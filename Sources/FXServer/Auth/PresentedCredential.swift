import HTTPTypes
import Hummingbird

/// The API key a request presents, from `Authorization: Bearer <key>` or `X-API-Key: <key>`.
enum PresentedCredential: Equatable {
    case none
    case key(Substring)
    /// A credential header is present but unusable: not the Bearer scheme, or two different keys.
    case unusable(reason: String)

    init(_ headers: HTTPFields) {
        var bearer: Substring?
        if let authorization = headers[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else {
                self = .unusable(reason: "Authorization must be \"Bearer <API key>\"")
                return
            }
            bearer = parts[1].drop { $0 == " " }
        }
        switch (bearer, headers[.apiKey].map { Substring($0) }) {
        case (nil, nil):
            self = .none
        case (let key?, nil), (nil, let key?):
            self = .key(key)
        case (let first?, let second?):
            self = first == second ? .key(first) : .unusable(reason: "Authorization and X-API-Key carry different keys")
        }
    }
}

extension HTTPField.Name {
    static let apiKey = Self("X-API-Key")!
}
