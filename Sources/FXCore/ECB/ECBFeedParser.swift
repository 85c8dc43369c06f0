/// Reads an ECB XML feed (`eurofxref-daily.xml`, `eurofxref-hist-90d.xml`) with the strictness of the CSV
/// parser: anything outside the published form is an error naming its line and column, and nothing of a
/// file with an error is kept.
///
/// The form:
///
///     <gesmes:Envelope …>
///       <gesmes:subject>…</gesmes:subject> <gesmes:Sender>…</gesmes:Sender>   (skipped)
///       <Cube>
///         <Cube time="2026-11-27"> <Cube currency="USD" rate="1.1172"/> … </Cube>
///         …
///       </Cube>
///     </gesmes:Envelope>
///
/// Every date once, every currency once per date, as upper-case ISO codes; rates under `StrictDecimal`'s
/// grammar. Names are matched as the ECB writes them (prefix `gesmes`, `Cube` in the default namespace).
public enum ECBFeedParser {
    static let envelope = "gesmes:Envelope"
    static let cube = "Cube"

    public static func parse(_ data: some Collection<UInt8>) throws(ECBFormatError) -> RateHistory {
        var reader = Reader(tokens: try ECBFeedTokenizer(Array(data)))
        return try reader.readDocument()
    }

    private struct Reader {
        var tokens: ECBFeedTokenizer
        var builder = RateHistoryBuilder()
        var days: Set<Day> = []

        init(tokens: ECBFeedTokenizer) {
            self.tokens = tokens
        }

        mutating func readDocument() throws(ECBFormatError) -> RateHistory {
            let root = try nextSignificant()
            guard case .start(let name, _, let selfClosing, let offset)? = root else {
                guard let root else { throw tokens.error(at: tokens.offset, "the feed is empty: expected <\(envelope)>") }
                throw tokens.error(at: Self.offset(of: root), "expected <\(envelope)>, found \(Self.describe(root))")
            }
            guard name == envelope else { throw tokens.error(at: offset, "expected <\(envelope)>, found <\(name)>") }
            guard !selfClosing else { throw tokens.error(at: offset, "<\(envelope)/> holds no rates") }
            var cubes = 0
            while let token = try nextSignificant() {
                switch token {
                case .end(let name, let offset):
                    guard name == envelope else { throw mismatched(name, expected: envelope, at: offset) }
                    guard cubes == 1 else { throw tokens.error(at: offset, "<\(envelope)> holds no <\(cube)> of rates") }
                    if let trailing = try nextSignificant() {
                        throw tokens.error(at: Self.offset(of: trailing), "content after </\(envelope)>")
                    }
                    return builder.build()
                case .start(let name, let attributes, let selfClosing, let offset) where name == cube:
                    guard cubes == 0 else { throw tokens.error(at: offset, "a second <\(cube)> of rates") }
                    guard attributes.isEmpty, !selfClosing else {
                        throw tokens.error(at: offset, "the outer <\(cube)> takes no attributes and holds the dates")
                    }
                    cubes += 1
                    try readDates(openedAt: offset)
                case .start(let name, _, let selfClosing, _):
                    if !selfClosing { try skipElement(name) }
                case .text:
                    break
                }
            }
            throw truncated(inside: envelope)
        }

        /// `<Cube time="…">` elements up to the outer `</Cube>`.
        private mutating func readDates(openedAt outer: Int) throws(ECBFormatError) {
            while let token = try nextSignificant() {
                switch token {
                case .end(let name, let offset):
                    guard name == cube else { throw mismatched(name, expected: cube, at: offset) }
                    guard !days.isEmpty else { throw tokens.error(at: outer, "the <\(cube)> holds no dates") }
                    return
                case .start(let name, let attributes, let selfClosing, let offset):
                    guard name == cube else { throw tokens.error(at: offset, "expected <\(cube) time=…>, found <\(name)>") }
                    guard attributes.count == 1, attributes[0].name == "time" else {
                        throw tokens.error(at: offset, "expected <\(cube) time=\"YYYY-MM-DD\">")
                    }
                    let text = attributes[0].value
                    guard let day = Day(parsing: text), text.utf8.count == 10 else {
                        throw tokens.error(at: offset, "time \"\(text)\" is not a date (YYYY-MM-DD)")
                    }
                    guard days.insert(day).inserted else { throw tokens.error(at: offset, "the date \(day) appears twice") }
                    guard !selfClosing else { throw tokens.error(at: offset, "the date \(day) holds no rates") }
                    try readRates(of: day, openedAt: offset)
                case .text(_, let offset):
                    throw tokens.error(at: offset, "text inside <\(cube)>")
                }
            }
            throw truncated(inside: cube)
        }

        /// `<Cube currency="USD" rate="1.1172"/>` elements up to the date's `</Cube>`.
        private mutating func readRates(of day: Day, openedAt dateOffset: Int) throws(ECBFormatError) {
            let row = builder.beginTable(day)
            var currencies: Set<CurrencyCode> = []
            while let token = try nextSignificant() {
                switch token {
                case .end(let name, let offset):
                    guard name == cube else { throw mismatched(name, expected: cube, at: offset) }
                    guard !currencies.isEmpty else { throw tokens.error(at: dateOffset, "the date \(day) holds no rates") }
                    return
                case .start(let name, let attributes, let selfClosing, let offset):
                    guard name == cube, selfClosing else {
                        throw tokens.error(at: offset, "expected <\(cube) currency=… rate=…/> in \(day), found <\(name)>")
                    }
                    let (code, rate) = try readRate(attributes, of: day, at: offset)
                    guard currencies.insert(code).inserted else {
                        throw tokens.error(at: offset, "\(code) appears twice on \(day)")
                    }
                    // The euro's own rate is 1 by definition: the column is nil and nothing is stored.
                    if let column = builder.column(for: code), !builder.set(rate, row: row, column: column) {
                        throw tokens.error(at: offset, "\(code) rate on \(day) is out of range")
                    }
                case .text(_, let offset):
                    throw tokens.error(at: offset, "text inside <\(cube) time=\"\(day)\">")
                }
            }
            throw truncated(inside: cube)
        }

        private func readRate(
            _ attributes: [ECBFeedTokenizer.Attribute], of day: Day, at offset: Int
        ) throws(ECBFormatError) -> (CurrencyCode, ScaledDecimal) {
            guard attributes.count == 2,
                  let currency = attributes.first(where: { $0.name == "currency" })?.value,
                  let rateText = attributes.first(where: { $0.name == "rate" })?.value
            else { throw tokens.error(at: offset, "expected <\(cube) currency=\"XXX\" rate=\"…\"/> on \(day)") }
            guard currency.utf8.count == 3, currency.utf8.allSatisfy({ (65...90).contains($0) }),
                  let code = CurrencyCode(parsing: currency)
            else { throw tokens.error(at: offset, "\"\(currency)\" is not a currency code (three upper-case letters)") }
            let strict: StrictDecimal
            do {
                strict = try StrictDecimal(parsing: rateText)
            } catch {
                throw tokens.error(at: offset, "\(code) rate \"\(rateText)\" on \(day) \(error)")
            }
            guard let rate = ScaledDecimal(strict) else {
                throw tokens.error(at: offset, "\(code) rate \"\(rateText)\" on \(day) is out of range")
            }
            return (code, rate)
        }

        /// Skips an element the feed carries beside the rates (`gesmes:subject`, `gesmes:Sender`), checking
        /// only that it is well formed.
        private mutating func skipElement(_ name: String) throws(ECBFormatError) {
            var open = [name]
            while let token = try tokens.next() {
                switch token {
                case .start(let inner, _, let selfClosing, _):
                    if !selfClosing {
                        guard open.count < 16 else { throw tokens.error(at: tokens.offset, "elements nested too deeply") }
                        open.append(inner)
                    }
                case .end(let closed, let offset):
                    guard let innermost = open.last, closed == innermost else {
                        throw mismatched(closed, expected: open.last ?? name, at: offset)
                    }
                    open.removeLast()
                    if open.isEmpty { return }
                case .text:
                    break
                }
            }
            throw truncated(inside: open.last ?? name)
        }

        /// The next token that is not whitespace between elements; text that is not whitespace is returned
        /// for the caller to refuse where it has no place.
        private mutating func nextSignificant() throws(ECBFormatError) -> ECBFeedTokenizer.Token? {
            while let token = try tokens.next() {
                if case .text(let text, _) = token, text.utf8.allSatisfy(ECBFeedTokenizer.isWhitespace) { continue }
                return token
            }
            return nil
        }

        private func mismatched(_ name: String, expected: String, at offset: Int) -> ECBFormatError {
            tokens.error(at: offset, "</\(name)> closes <\(expected)>")
        }

        private func truncated(inside name: String) -> ECBFormatError {
            tokens.error(at: tokens.offset, "the feed ends before </\(name)>: it is truncated")
        }

        private static func describe(_ token: ECBFeedTokenizer.Token) -> String {
            switch token {
            case .start(let name, _, _, _): "<\(name)>"
            case .end(let name, _): "</\(name)>"
            case .text: "text"
            }
        }

        private static func offset(of token: ECBFeedTokenizer.Token) -> Int {
            switch token {
            case .start(_, _, _, let offset), .end(_, let offset), .text(_, let offset): offset
            }
        }
    }
}
