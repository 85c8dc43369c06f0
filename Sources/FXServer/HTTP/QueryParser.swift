import FXCore
import Hummingbird

/// Reads query parameters and collects every problem, so that one 422 reports them all at once.
struct QueryParser {
    private let parameters: Parameters
    private(set) var errors: [Problem.ParameterError] = []

    init(_ request: Request) {
        self.parameters = request.uri.queryParameters
    }

    /// The parsed value, or nil after recording why the parameter is missing or bad.
    mutating func required<Value>(_ name: String, _ parse: ParameterParsers.Parse<Value>) -> Value? {
        guard let text = single(name) else {
            if !errors.contains(where: { $0.parameter == name }) { fail(name, "is required") }
            return nil
        }
        return parsed(name, text, parse)
    }

    /// The parsed value, nil when absent, or nil after recording why it is bad.
    mutating func optional<Value>(_ name: String, _ parse: ParameterParsers.Parse<Value>) -> Value? {
        single(name).flatMap { parsed(name, $0, parse) }
    }

    mutating func fail(_ name: String, _ detail: String) {
        errors.append(.init(parameter: name, detail: detail))
    }

    /// The value of `name` when given once; a few parameters are compared in place, with no arrays built.
    private mutating func single(_ name: String) -> String? {
        var value: Substring?
        var count = 0
        for parameter in parameters where parameter.key == name {
            count += 1
            value = value ?? parameter.value
        }
        if count > 1 {
            fail(name, "must be given once, not \(count) times")
            return nil
        }
        return value.map(String.init)
    }

    private mutating func parsed<Value>(_ name: String, _ text: String,
                                        _ parse: ParameterParsers.Parse<Value>) -> Value? {
        switch parse(text) {
        case .success(let value): return value
        case .failure(let failure):
            fail(name, failure.detail)
            return nil
        }
    }
}

/// Why one parameter's text is unusable, in words for the client.
struct ParameterFailure: Error {
    let detail: String
}
