import Foundation

/// The JSON form of a mix (documented in loadtest/mixes/README.md). Strings may hold `${NAME}` (the
/// environment variable, which must be set) or `${NAME:-default}`; an API key that expands to a
/// comma-separated list becomes several keys, so one variable can carry every tenant's key.
public enum MixFile {
    struct Document: Decodable {
        let seed: UInt64?
        let templates: [Template]
    }

    struct Template: Decodable {
        let name: String
        let weight: UInt64
        let paths: [String]
        let apiKeys: [String]?
        let forwardedForPool: UInt32?
        let forwardedForBase: String?
        let headers: [String: String]?
        let expect: [Int]?

        enum CodingKeys: String, CodingKey {
            case name, weight, paths, headers, expect
            case apiKeys = "api_keys"
            case forwardedForPool = "forwarded_for_pool"
            case forwardedForBase = "forwarded_for_base"
        }
    }

    public static let maximumBytes = 4 << 20

    public static func parse(_ data: Data, environment: [String: String]) throws(MixError) -> Mix {
        guard data.count <= maximumBytes else { throw .invalid("a mix file is at most 4 MiB") }
        let document: Document
        do {
            document = try JSONDecoder().decode(Document.self, from: data)
        } catch {
            throw .invalid("not a mix file: \(error)")
        }
        var templates: [RequestTemplate] = []
        for template in document.templates {
            let expand = { (text: String) throws(MixError) -> String in
                try expandVariables(in: text, environment: environment)
            }
            var keys: [String] = []
            for key in template.apiKeys ?? [] {
                keys += try expand(key).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                    .filter { !$0.isEmpty }
            }
            if template.apiKeys?.isEmpty == false && keys.isEmpty {
                throw .invalid("\(template.name): api_keys expanded to no key")
            }
            var base: UInt32?
            if let text = template.forwardedForBase {
                guard let address = parseDottedQuad(text) else {
                    throw .invalid("\(template.name): forwarded_for_base is an IPv4 address")
                }
                base = address
            }
            var headers: [(name: String, value: String)] = []
            for (name, value) in (template.headers ?? [:]).sorted(by: { $0.key < $1.key }) {
                headers.append((name, try expand(value)))
            }
            var paths: [String] = []
            for path in template.paths { paths.append(try expand(path)) }
            templates.append(
                try RequestTemplate(
                    name: template.name, weight: template.weight, paths: paths, apiKeys: keys,
                    forwardedForPool: template.forwardedForPool, forwardedForBase: base, headers: headers,
                    expectedStatuses: template.expect.map(Set.init) ?? RequestTemplate.defaultExpected))
        }
        return try Mix(templates: templates, seed: document.seed ?? 0x5EED)
    }

    /// `${NAME}` and `${NAME:-default}` replaced from `environment`; a `$` not followed by `{` stays.
    public static func expandVariables(in text: String, environment: [String: String]) throws(MixError) -> String {
        var output = ""
        var rest = Substring(text)
        while let dollar = rest.range(of: "${") {
            output += rest[..<dollar.lowerBound]
            guard let close = rest[dollar.upperBound...].firstIndex(of: "}") else {
                throw .invalid("unterminated ${ in \(text)")
            }
            let inside = rest[dollar.upperBound..<close]
            let name: Substring
            var fallback: Substring?
            if let separator = inside.range(of: ":-") {
                name = inside[..<separator.lowerBound]
                fallback = inside[separator.upperBound...]
            } else {
                name = inside
            }
            if let value = environment[String(name)], !value.isEmpty {
                output += value
            } else if let fallback {
                output += fallback
            } else {
                throw .invalid("the mix needs the environment variable \(name)")
            }
            rest = rest[rest.index(after: close)...]
        }
        return output + rest
    }
}
