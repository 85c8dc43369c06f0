import FXCore
import FXStorage
import Foundation
import Hummingbird

/// Reads the body of `PUT /v1/admin/rates/{date}` and reports every problem at once, naming body
/// fields `base`, `source`, `rates` and `rates.USD`.
struct RatesUpdateParser {
    static let maximumSourceLength = 32
    private static let fields: Set<String> = ["base", "source", "rates"]

    let today: Day

    func parse(date dateText: String, body: Data) throws(Problem) -> RatesUpdate {
        guard let json = try? JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) else {
            throw Problem(status: .badRequest, detail: "The body is not valid JSON")
        }
        var errors: [Problem.ParameterError] = []
        func fail(_ parameter: String, _ detail: String) { errors.append(.init(parameter: parameter, detail: detail)) }

        var date: Day?
        switch ParameterParsers.storedDay(notAfter: today)(dateText) {
        case .success(let day): date = day
        case .failure(let failure): fail("date", failure.detail)
        }
        guard let object = json as? [String: Any] else {
            fail("body", "must be a JSON object with base, source and rates")
            throw Problem.validation(errors)
        }
        for name in object.keys.sorted() where !Self.fields.contains(name) {
            fail(Self.shortened(name), "is not a field of this body; expected base, source and rates")
        }
        let base = parseBase(object["base"], fail: fail)
        let source = parseSource(object["source"], fail: fail)
        let rates = parseRates(object["rates"], fail: fail)
        guard let date, let base, let source, let rates, errors.isEmpty else { throw Problem.validation(errors) }
        return RatesUpdate(date: date, base: base, source: source, rates: rates)
    }

    /// A field name from the body as the problem names it, cut short so a huge name cannot make a huge response.
    private static func shortened(_ name: String) -> String {
        name.count > 24 ? String(name.prefix(24)) + "…" : name
    }

    private func parseBase(_ value: Any?, fail: (String, String) -> Void) -> CurrencyCode? {
        guard let value else { return .eur }
        guard let text = value as? String, CurrencyCode(parsing: text) == .eur else {
            fail("base", "must be \"EUR\": every rate is stored against the euro, the pivot of all cross rates")
            return nil
        }
        return .eur
    }

    private func parseSource(_ value: Any?, fail: (String, String) -> Void) -> String? {
        guard let text = value as? String, !text.isEmpty, text.count <= Self.maximumSourceLength,
              text.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-") })
        else {
            fail("source", "is required: 1 to \(Self.maximumSourceLength) characters from A-Z, a-z, 0-9, _ and -")
            return nil
        }
        return text
    }

    private func parseRates(_ value: Any?, fail: (String, String) -> Void) -> [CurrencyCode: StrictDecimal]? {
        guard let object = value as? [String: Any], !object.isEmpty else {
            fail("rates", "is required: an object with at least one rate, such as {\"USD\": \"1.1234\"}")
            return nil
        }
        var rates: [CurrencyCode: StrictDecimal] = [:]
        var valid = true
        for (key, value) in object.sorted(by: { $0.key < $1.key }) {
            let name = "rates.\(Self.shortened(key))"
            var problems: [String] = []
            let code = CurrencyCode(parsing: key)
            if let code {
                if code == .eur {
                    problems.append("EUR is the base: its rate is 1 by definition")
                } else if CurrencyRegistry.iso4217[code] == nil {
                    problems.append("\(code) is not an ISO 4217 currency fxrates knows")
                } else if rates[code] != nil {
                    problems.append("\(code) is given more than once")
                }
            } else {
                problems.append("the key must be a three-letter currency code such as USD")
            }
            var rate: StrictDecimal?
            if let text = value as? String {
                do { rate = try StrictDecimal(parsing: text) } catch {
                    problems.append("\(error); expected a positive decimal string such as \"1.1234\" with at most 18 digits on each side of the point")
                }
            } else {
                problems.append("must be a JSON string such as \"1.1234\", not a number or other value, so no precision is lost")
            }
            if problems.isEmpty, let code, let rate {
                rates[code] = rate
            } else {
                valid = false
                fail(name, problems.joined(separator: "; "))
            }
        }
        return valid ? rates : nil
    }
}
