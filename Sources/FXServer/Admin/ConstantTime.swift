/// Comparisons of secrets whose duration does not depend on where the inputs differ.
enum ConstantTime {
    /// Walks every byte of `secret` whatever `candidate` is, so the time taken reveals neither how much of
    /// a guess matched nor anything about the secret beyond its length.
    static func equals(_ candidate: some StringProtocol, _ secret: some StringProtocol) -> Bool {
        let candidate = Array(candidate.utf8)
        let secret = Array(secret.utf8)
        var difference: UInt8 = candidate.count == secret.count ? 0 : 1
        for index in secret.indices {
            difference |= secret[index] ^ (index < candidate.count ? candidate[index] : 0)
        }
        return difference == 0
    }

    /// Whether `candidate` equals any of `secrets`, comparing it with every one of them, whichever matches,
    /// so the time taken does not tell which secret (the old or the new while rotating) matched.
    static func matchesAny(_ candidate: some StringProtocol, _ secrets: [String]) -> Bool {
        var matched = false
        for secret in secrets {
            let equal = equals(candidate, secret)
            matched = matched || equal
        }
        return matched
    }
}
