import FXCore
import Testing

@Suite("Limit policies")
struct LimitPolicyTests {
    @Test func parsesEveryUnitInOrder() throws {
        let policy = try LimitPolicy(parsing: "5/second;600/minute;20000/hour;100000/day")
        #expect(policy.limits == [
            .init(count: 5, unit: .second), .init(count: 600, unit: .minute),
            .init(count: 20_000, unit: .hour), .init(count: 100_000, unit: .day),
        ])
        #expect(policy.description == "5/second;600/minute;20000/hour;100000/day")
        #expect(try LimitPolicy(parsing: policy.description) == policy)
    }

    @Test func singleLimit() throws {
        #expect(try LimitPolicy(parsing: "1/day").limits == [.init(count: 1, unit: .day)])
        #expect(LimitPolicy.Unit.day.seconds == 86_400)
    }

    @Test(arguments: [
        "", ";", "600", "600/", "/minute", "600/minutes", "600/Minute", "0/minute", "-1/minute", "+1/minute",
        "1.5/minute", " 600/minute", "600/minute;", ";600/minute", "600/minute;;1/day", "600/minute;5/minute",
        "600/minute/day", "6O0/minute", "١٢/minute", "9999999999999/day",
    ])
    func rejectsMalformedSpecs(spec: String) {
        #expect(throws: LimitPolicySyntaxError.self) { try LimitPolicy(parsing: spec) }
    }

    /// `FX_ANON_LIMITS='999999999999/day'` passed the old parser (12 digits) and trapped the first request.
    @Test func countsAreBoundedToABillion() throws {
        #expect(try LimitPolicy(parsing: "1000000000/second").limits == [.init(count: 1_000_000_000, unit: .second)])
        for spec in ["999999999999/day", "1000000001/day", "0/day", "00000000001/day"] {
            let error = #expect(throws: LimitPolicySyntaxError.self) { try LimitPolicy(parsing: spec) }
            #expect(error?.description.contains("outside 1 to 1000000000") == true, "\(spec)")
        }
    }

    @Test func errorNamesTheOffendingPart() {
        #expect {
            try LimitPolicy(parsing: "600/minute;10/week")
        } throws: { error in
            (error as? LimitPolicySyntaxError)?.description.contains("\"week\" is not one of second") == true
        }
    }
}
