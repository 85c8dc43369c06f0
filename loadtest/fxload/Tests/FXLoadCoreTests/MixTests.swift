import Foundation
import Testing

@testable import FXLoadCore

@Suite struct MixTests {
    let json = Data(
        #"""
        {"seed": 7, "templates": [
          {"name": "keyed", "weight": 3, "paths": ["/a", "/b"], "api_keys": ["${KEYS}"]},
          {"name": "anon", "weight": 1, "paths": ["/c"], "forwarded_for_pool": 10, "forwarded_for_base": "10.1.2.0",
           "expect": [200, 429], "headers": {"Accept-Encoding": "${ENCODING:-gzip}"}}
        ]}
        """#.utf8)

    @Test func templatesAreChosenByWeightAndTheChoiceIsRepeatable() throws {
        let mix = try MixFile.parse(json, environment: ["KEYS": "k1, k2,k3"])
        var counts = [0, 0]
        var keys = Set<Int>()
        var addresses = Set<UInt32>()
        for index in 0..<40_000 {
            let plan = mix.plan(for: index)
            #expect(plan == mix.plan(for: index))
            counts[plan.template] += 1
            if let key = plan.apiKey { keys.insert(key) }
            if let address = plan.forwardedFor { addresses.insert(address) }
        }
        #expect(abs(Double(counts[0]) / 40_000 - 0.75) < 0.01)
        #expect(keys == [0, 1, 2])
        #expect(addresses.count == 10)
        #expect(addresses.allSatisfy { dottedQuad($0).hasPrefix("10.1.2.") })
        #expect(mix.templates[0].apiKeys == ["k1", "k2", "k3"])
        #expect(mix.templates[1].headers.first?.value == "gzip")
        #expect(mix.templates[1].expectedStatuses == [200, 429])
        #expect(mix.templates[0].expectedStatuses.contains(304))
    }

    @Test func aMissingVariableIsAnErrorNamingIt() {
        #expect(throws: MixError.invalid("the mix needs the environment variable KEYS")) {
            try MixFile.parse(json, environment: [:])
        }
    }

    @Test func badTemplatesAreRefused() {
        #expect(throws: MixError.self) { try RequestTemplate(name: "x", weight: 1, paths: ["no-slash"]) }
        #expect(throws: MixError.self) { try RequestTemplate(name: "x", weight: 1, paths: ["/a b"]) }
        #expect(throws: MixError.self) { try RequestTemplate(name: "x", weight: 0, paths: ["/a"]) }
        #expect(throws: MixError.self) { try RequestTemplate(name: "x", weight: 1, paths: ["/a"], apiKeys: ["a\r\nb"]) }
        #expect(throws: MixError.self) { try RequestTemplate(name: "x", weight: 1, paths: ["/a"], forwardedForPool: 0) }
        #expect(throws: MixError.self) { try Mix(templates: []) }
    }

    @Test func theShippedMixesParse() throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../mixes").standardized
        for name in ["default.json", "anonymous.json"] {
            let data = try Data(contentsOf: directory.appendingPathComponent(name))
            let mix = try MixFile.parse(data, environment: ["FXLOAD_API_KEYS": "fx_a,fx_b", "FXLOAD_LIMITED_KEY": "fx_c"])
            #expect(mix.templates.count >= 5)
        }
    }

    @Test func dottedQuadsRoundTrip() {
        #expect(parseDottedQuad("10.250.0.1").map(dottedQuad) == "10.250.0.1")
        #expect(parseDottedQuad("256.0.0.1") == nil)
        #expect(parseDottedQuad("1.2.3") == nil)
    }
}
