import Hummingbird

/// `Authorization: Bearer <FX_ADMIN_TOKEN>` on every admin route; either token while it is rotated.
struct AdminAuthorization {
    let tokens: [String]

    func check(_ request: Request) throws(Problem) {
        let header = request.headers[.authorization] ?? ""
        let scheme = "Bearer "
        guard header.count > scheme.count, header.prefix(scheme.count).lowercased() == scheme.lowercased(),
              ConstantTime.matchesAny(header.dropFirst(scheme.count), tokens)
        else {
            var problem = Problem(
                status: .unauthorized,
                detail: header.isEmpty ? "This route needs an Authorization: Bearer token" : "The bearer token is not valid")
            problem.headers[.wwwAuthenticate] = "Bearer"
            throw problem
        }
    }
}
