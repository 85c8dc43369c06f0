import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// The served OpenAPI document as tools read it: every `$ref` points at something, and every security
/// requirement names a scheme it defines (Swagger UI and client generators cannot authenticate otherwise).
/// `scripts/validate-openapi.sh` checks it against the OpenAPI 3.1 schema and for repeated keys.
@Suite("The OpenAPI document resolves")
struct OpenAPIDocumentTests {
    static func servedDocument() async throws -> [String: Any] {
        let data = try await withLiveAppResult { client in
            try await client.execute(uri: "/openapi.json", method: .get) { Data(buffer: $0.body) }
        }
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func everyReferenceResolves() async throws {
        let document = try await Self.servedDocument()
        var references: [String] = []
        Self.collectReferences(in: document, into: &references)
        #expect(references.count > 50)
        for reference in Set(references).sorted() {
            #expect(Self.resolve(reference, in: document) != nil, "\(reference) does not resolve")
        }
    }

    @Test func everySecurityRequirementNamesADefinedScheme() async throws {
        let document = try await Self.servedDocument()
        let schemes = (document["components"] as? [String: Any])?["securitySchemes"] as? [String: Any] ?? [:]
        var requirements = document["security"] as? [[String: Any]] ?? []
        for case let path as [String: Any] in (document["paths"] as? [String: Any] ?? [:]).values {
            for case let operation as [String: Any] in path.values {
                requirements += operation["security"] as? [[String: Any]] ?? []
            }
        }
        let named = Set(requirements.flatMap(\.keys))
        #expect(named.isSuperset(of: ["bearerAuth", "apiKeyHeader", "adminBearer"]))
        for name in named.sorted() {
            #expect(schemes[name] != nil, "security requirement \(name) has no securitySchemes entry")
        }
        #expect((schemes["apiKeyHeader"] as? [String: Any])?["name"] as? String == "X-API-Key")
        #expect((schemes["bearerAuth"] as? [String: Any])?["scheme"] as? String == "bearer")
    }

    static func collectReferences(in value: Any, into references: inout [String]) {
        if let object = value as? [String: Any] {
            if let reference = object["$ref"] as? String { references.append(reference) }
            for child in object.values { collectReferences(in: child, into: &references) }
        } else if let array = value as? [Any] {
            for child in array { collectReferences(in: child, into: &references) }
        }
    }

    /// A local JSON pointer (`#/components/schemas/Day`), with RFC 6901's `~1` and `~0` escapes.
    static func resolve(_ reference: String, in document: [String: Any]) -> Any? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: Any = document
        for token in reference.dropFirst(2).split(separator: "/", omittingEmptySubsequences: false) {
            let key = token.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            guard let object = node as? [String: Any], let child = object[key] else { return nil }
            node = child
        }
        return node
    }
}
