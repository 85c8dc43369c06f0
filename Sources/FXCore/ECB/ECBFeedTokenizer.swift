/// The markup of an ECB XML feed, token by token: the small, strict subset of XML 1.0 the ECB writes
/// (`eurofxref-daily.xml`, `eurofxref-hist-90d.xml`). Foundation's `XMLParser` would need libxml2 in the
/// runtime image for three element kinds; this reads them from the bytes and refuses what it does not know
/// (DOCTYPE, CDATA, processing instructions after the declaration, entities beyond the five predefined), so
/// nothing in a feed can expand or reach outside it.
struct ECBFeedTokenizer {
    struct Attribute {
        let name: String
        let value: String
    }

    enum Token {
        case start(name: String, attributes: [Attribute], selfClosing: Bool, offset: Int)
        case end(name: String, offset: Int)
        /// Character data between tags, entities resolved.
        case text(String, offset: Int)
    }

    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) throws(ECBFormatError) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        try readDeclaration()
    }

    /// The next token; nil at the end of the bytes.
    mutating func next() throws(ECBFormatError) -> Token? {
        while position < bytes.count {
            let start = position
            guard bytes[position] == UInt8(ascii: "<") else {
                let end = bytes[position...].firstIndex(of: UInt8(ascii: "<")) ?? bytes.count
                position = end
                return .text(try resolveEntities(bytes[start..<end], at: start), offset: start)
            }
            if matches("<!--") {
                try skipComment()
                continue
            }
            if matches("</") { return try readEndTag() }
            if matches("<!") || matches("<?") {
                throw error(at: start, "markup the ECB feed does not use (DOCTYPE, CDATA or a processing instruction)")
            }
            return try readStartTag()
        }
        return nil
    }

    /// `line L, column C` of a byte offset, for errors: counted only when there is one.
    func error(at offset: Int, _ reason: String) -> ECBFormatError {
        let upTo = bytes[..<min(offset, bytes.count)]
        let line = upTo.count(where: { $0 == UInt8(ascii: "\n") }) + 1
        let lineStart = upTo.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        return ECBFormatError(line: line, column: min(offset, bytes.count) - lineStart + 1, reason: reason)
    }

    var offset: Int { position }

    // MARK: - Markup

    /// `<?xml version="1.0" encoding="UTF-8"?>`, optional, and only UTF-8 (or no encoding, which means UTF-8).
    private mutating func readDeclaration() throws(ECBFormatError) {
        guard matches("<?xml") else { return }
        let start = position
        guard let close = find("?>", from: position) else { throw error(at: start, "the XML declaration is not closed") }
        let declaration = String(decoding: bytes[start..<close], as: UTF8.self).lowercased()
        if declaration.contains("encoding"),
           !(declaration.contains("encoding=\"utf-8\"") || declaration.contains("encoding='utf-8'")) {
            throw error(at: start, "the feed must be encoded in UTF-8")
        }
        position = close + 2
    }

    private mutating func skipComment() throws(ECBFormatError) {
        let start = position
        guard let close = find("-->", from: position + 4) else { throw error(at: start, "a comment is not closed") }
        position = close + 3
    }

    private mutating func readEndTag() throws(ECBFormatError) -> Token {
        let start = position
        position += 2
        let name = try readName()
        skipWhitespace()
        guard position < bytes.count else { throw error(at: start, "the feed ends inside </\(name)>") }
        guard bytes[position] == UInt8(ascii: ">") else { throw error(at: position, "expected > to close </\(name)") }
        position += 1
        return .end(name: name, offset: start)
    }

    private mutating func readStartTag() throws(ECBFormatError) -> Token {
        let start = position
        position += 1
        let name = try readName()
        var attributes: [Attribute] = []
        while true {
            let hadWhitespace = skipWhitespace()
            guard position < bytes.count else { throw error(at: start, "the feed ends inside <\(name)>") }
            if bytes[position] == UInt8(ascii: ">") {
                position += 1
                return .start(name: name, attributes: attributes, selfClosing: false, offset: start)
            }
            if matches("/>") {
                position += 2
                return .start(name: name, attributes: attributes, selfClosing: true, offset: start)
            }
            guard hadWhitespace else { throw error(at: position, "expected a space before an attribute of <\(name)>") }
            let attribute = try readAttribute()
            guard !attributes.contains(where: { $0.name == attribute.name }) else {
                throw error(at: position, "<\(name)> has the attribute \(attribute.name) twice")
            }
            attributes.append(attribute)
        }
    }

    private mutating func readAttribute() throws(ECBFormatError) -> Attribute {
        let name = try readName()
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "=") else {
            throw error(at: position, "expected = after the attribute \(name)")
        }
        position += 1
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") || bytes[position] == UInt8(ascii: "'") else {
            throw error(at: position, "expected a quoted value for the attribute \(name)")
        }
        let quote = bytes[position]
        let valueStart = position + 1
        guard let valueEnd = bytes[valueStart...].firstIndex(of: quote) else {
            throw error(at: position, "the value of the attribute \(name) is not closed")
        }
        if let bracket = bytes[valueStart..<valueEnd].firstIndex(of: UInt8(ascii: "<")) {
            throw error(at: bracket, "< inside the value of the attribute \(name)")
        }
        position = valueEnd + 1
        return Attribute(name: name, value: try resolveEntities(bytes[valueStart..<valueEnd], at: valueStart))
    }

    /// An XML name in ASCII (`Cube`, `gesmes:Envelope`, `xmlns:gesmes`): all the ECB uses.
    private mutating func readName() throws(ECBFormatError) -> String {
        let start = position
        while position < bytes.count, Self.isNameByte(bytes[position], first: position == start) { position += 1 }
        guard position > start else {
            throw position < bytes.count
                ? error(at: start, "expected a name, found \(Self.describe(bytes[start]))")
                : error(at: start, "the feed ends inside a tag")
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    /// The text with `&lt;` `&gt;` `&amp;` `&quot;` `&apos;` resolved; any other `&` is an error.
    private func resolveEntities(_ raw: ArraySlice<UInt8>, at offset: Int) throws(ECBFormatError) -> String {
        guard raw.contains(UInt8(ascii: "&")) else { return String(decoding: raw, as: UTF8.self) }
        var resolved: [UInt8] = []
        var index = raw.startIndex
        while index < raw.endIndex {
            guard raw[index] == UInt8(ascii: "&") else {
                resolved.append(raw[index])
                index += 1
                continue
            }
            guard let semicolon = raw[index...].prefix(7).firstIndex(of: UInt8(ascii: ";")),
                  let character = Self.predefinedEntities[String(decoding: raw[(index + 1)..<semicolon], as: UTF8.self)]
            else { throw error(at: index, "an entity other than &lt; &gt; &amp; &quot; &apos;") }
            resolved.append(character)
            index = semicolon + 1
        }
        return String(decoding: resolved, as: UTF8.self)
    }

    private static let predefinedEntities: [String: UInt8] = [
        "lt": UInt8(ascii: "<"), "gt": UInt8(ascii: ">"), "amp": UInt8(ascii: "&"),
        "quot": UInt8(ascii: "\""), "apos": UInt8(ascii: "'"),
    ]

    // MARK: - Bytes

    @discardableResult
    private mutating func skipWhitespace() -> Bool {
        let start = position
        while position < bytes.count, Self.isWhitespace(bytes[position]) { position += 1 }
        return position > start
    }

    private func matches(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        return literal.withUTF8Buffer { $0.elementsEqual(bytes[position..<(position + count)]) }
    }

    private func find(_ literal: StaticString, from start: Int) -> Int? {
        let count = literal.utf8CodeUnitCount
        guard start + count <= bytes.count else { return nil }
        return literal.withUTF8Buffer { needle in
            (start...(bytes.count - count)).first { bytes[$0..<($0 + count)].elementsEqual(needle) }
        }
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    private static func isNameByte(_ byte: UInt8, first: Bool) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "_"), UInt8(ascii: ":"):
            true
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."):
            !first
        default:
            false
        }
    }

    private static func describe(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? "\"\(Character(Unicode.Scalar(byte)))\"" : "byte 0x\(String(byte, radix: 16))"
    }
}
