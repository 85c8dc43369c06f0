@testable import FXCore
import Testing

/// The XML feeds read without any network: the fixtures as published, and every way a file can be broken.
@Suite("ECB XML feed parser")
struct ECBFeedParserTests {
    static func feed(_ cubes: String, declaration: String = #"<?xml version="1.0" encoding="UTF-8"?>"#) -> [UInt8] {
        Array("""
            \(declaration)
            <gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
            \t<gesmes:subject>Reference rates</gesmes:subject>
            \t<gesmes:Sender>
            \t\t<gesmes:name>European Central Bank</gesmes:name>
            \t</gesmes:Sender>
            \t<Cube>
            \(cubes)
            \t</Cube>
            </gesmes:Envelope>

            """.utf8)
    }

    static let oneDay = """
        \t\t<Cube time='2026-11-27'>
        \t\t\t<Cube currency='USD' rate='1.1172'/>
        \t\t\t<Cube currency="JPY" rate="175.68" />
        \t\t</Cube>
        """

    /// The error of parsing `bytes`, which must fail.
    static func error(_ bytes: [UInt8]) -> ECBFormatError? {
        do {
            _ = try ECBFeedParser.parse(bytes)
            return nil
        } catch {
            return error
        }
    }

    @Test func theDailyFixtureReadsAsOneDayOfTwentyNineRates() throws {
        let history = try ECBFeedParser.parse(try ECBFeedFixtures.bytes("eurofxref-daily.xml"))
        #expect(history.tables.map(\.date) == [Day(year: 2026, month: 10, day: 30)])
        let table = try #require(history.tables.first)
        #expect(table.currencies.filter { $0 != .eur }.count == 29)
        #expect(table.perEuro("USD")?.description == "1.1172")
        #expect(table.perEuro("IDR")?.description == "20275.17")
    }

    @Test func theNinetyDayFixtureReadsEveryDayInDateOrder() throws {
        let history = try ECBFeedParser.parse(try ECBFeedFixtures.bytes("eurofxref-hist-90d.xml"))
        #expect(history.tables.map(\.date.description) == ["2026-10-26", "2026-10-27", "2026-10-28", "2026-10-29", "2026-10-30"])
    }

    @Test func ratesKeepTheirDigitsExactly() throws {
        let history = try ECBFeedParser.parse(Self.feed("""
            <Cube time="2026-11-27"><Cube currency="IDR" rate="20275.17"/><Cube currency="BGN" rate="1.95580"/></Cube>
            """))
        let table = try #require(history.tables.first)
        #expect(table.perEuro("IDR")?.description == "20275.17")
        // Trailing zeros are not significant, as in the CSV.
        #expect(table.perEuro("BGN")?.description == "1.9558")
    }

    @Test func aByteOrderMarkCommentsAndNoDeclarationAreAccepted() throws {
        var bytes: [UInt8] = [0xEF, 0xBB, 0xBF]
        bytes += Self.feed("<!-- a mirror's note -->\n" + Self.oneDay, declaration: "")
        #expect(try ECBFeedParser.parse(bytes).tables.count == 1)
    }

    /// (what is wrong, the feed, the line it is on, what the error says)
    static let broken: [(String, [UInt8], Int, String)] = [
        ("truncated inside a tag", Array(feed(oneDay).prefix(330)), 8, "is not closed"),
        ("truncated between tags", Array(String(decoding: feed(oneDay), as: UTF8.self)
            .components(separatedBy: "\t\t</Cube>")[0].utf8), 11, "truncated"),
        ("empty", [], 1, "empty"),
        ("not XML", Array("Date,USD\n2026-11-27,1.1\n".utf8), 1, "expected <gesmes:Envelope>, found text"),
        ("a comma for the point", feed("<Cube time='2026-11-27'><Cube currency='USD' rate='1,1172'/></Cube>"), 8, "USD rate \"1,1172\""),
        ("an exponent", feed("<Cube time='2026-11-27'><Cube currency='USD' rate='1e3'/></Cube>"), 8, "USD rate"),
        ("a zero rate", feed("<Cube time='2026-11-27'><Cube currency='USD' rate='0'/></Cube>"), 8, "USD rate"),
        ("an impossible date", feed("<Cube time='2026-02-30'><Cube currency='USD' rate='1.1'/></Cube>"), 8, "not a date"),
        ("a date twice", feed(oneDay + "\n" + oneDay), 12, "appears twice"),
        ("a currency twice", feed("<Cube time='2026-11-27'><Cube currency='USD' rate='1.1'/>\n<Cube currency='USD' rate='1.2'/></Cube>"), 9, "USD appears twice"),
        ("a lower-case code", feed("<Cube time='2026-11-27'><Cube currency='usd' rate='1.1'/></Cube>"), 8, "not a currency code"),
        ("a date without rates", feed("<Cube time='2026-11-27'></Cube>"), 8, "holds no rates"),
        ("no dates", feed(""), 7, "holds no dates"),
        ("a mismatched end tag", feed("<Cube time='2026-11-27'><Cube currency='USD' rate='1.1'/></Cub>"), 8, "</Cub> closes <Cube>"),
        ("an unknown entity", feed("<Cube time='2026-11-27'><Cube currency='USD' rate='&one;'/></Cube>"), 8, "entity"),
        ("a DOCTYPE", Array("<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY a \"b\">]>\n".utf8) + feed(oneDay, declaration: ""), 2, "DOCTYPE"),
        ("another encoding", feed(oneDay, declaration: #"<?xml version="1.0" encoding="ISO-8859-1"?>"#), 1, "UTF-8"),
        ("an extra attribute", feed("<Cube time='2026-11-27' kind='x'><Cube currency='USD' rate='1.1'/></Cube>"), 8, "expected <Cube time="),
        ("a rate without currency", feed("<Cube time='2026-11-27'><Cube rate='1.1'/></Cube>"), 8, "currency="),
        ("text among the rates", feed("<Cube time='2026-11-27'>USD 1.1</Cube>"), 8, "text inside"),
        ("content after the envelope", feed(oneDay) + Array("<Cube/>".utf8), 14, "after </gesmes:Envelope>"),
        ("an unquoted attribute", feed("<Cube time=2026-11-27><Cube currency='USD' rate='1.1'/></Cube>"), 8, "quoted value"),
    ]

    @Test(arguments: broken.indices)
    func aBrokenFeedIsRefusedAndTheErrorNamesWhere(index: Int) {
        let (what, bytes, line, says) = Self.broken[index]
        let error = Self.error(bytes)
        #expect(error != nil, "\(what) is refused")
        #expect(error?.line == line, "\(what): \(error?.description ?? "")")
        #expect(error?.description.contains(says) == true, "\(what): \(error?.description ?? "")")
    }

    @Test func everyPrefixOfTheFixtureIsRefused() throws {
        let bytes = try ECBFeedFixtures.bytes("eurofxref-daily.xml")
        let end = try #require(String(decoding: bytes, as: UTF8.self).range(of: "</gesmes:Envelope>")).upperBound
        let complete = String(decoding: bytes, as: UTF8.self)[..<end].utf8.count
        for length in stride(from: 0, to: complete, by: 7) {
            #expect(Self.error(Array(bytes.prefix(length))) != nil, "the first \(length) bytes")
        }
    }
}
