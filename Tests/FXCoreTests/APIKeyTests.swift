@testable import FXCore
import FXSupport
import Testing

@Suite("API key format")
struct APIKeyTests {
    private static let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    @Test func generatedKeysHaveThePrefixLengthAndAlphabet() {
        let key = APIKey.generate().text
        #expect(key.hasPrefix("fx_"))
        #expect(key.count == 46)
        #expect(key.dropFirst(3).allSatisfy { Self.alphabet.contains($0) })
        #expect(APIKey(key)?.text == key)
    }

    @Test func generatedKeysAreUnique() {
        let keys = Set((0..<10_000).map { _ in APIKey.generate().text })
        #expect(keys.count == 10_000)
    }

    @Test func base64URLMatchesRFC4648Vectors() {
        #expect(Base64URL.encode(Array("f".utf8)) == "Zg")
        #expect(Base64URL.encode(Array("fo".utf8)) == "Zm8")
        #expect(Base64URL.encode(Array("foo".utf8)) == "Zm9v")
        #expect(Base64URL.encode(Array("foob".utf8)) == "Zm9vYg")
        #expect(Base64URL.encode([0xFB, 0xFF, 0xBF]) == "-_-_")
    }

    @Test func hashIsTheSHA256OfTheWholeKey() throws {
        let key = APIKey.generate()
        #expect(key.hash.bytes == MessageDigest.sha256(Array(key.text.utf8)))
        #expect(key.hash.bytes.count == 32)
        #expect(!"\(key)".contains(key.text))
    }

    @Test(arguments: [
        "", "fx_", "fx_" + String(repeating: "A", count: 42), "fx_" + String(repeating: "A", count: 44),
        "FX_" + String(repeating: "A", count: 43), "fy_" + String(repeating: "A", count: 43),
        "fx_" + String(repeating: "A", count: 42) + "=", "fx_" + String(repeating: "A", count: 42) + "+",
        "fx_" + String(repeating: "A", count: 42) + "/", "fx_" + String(repeating: "A", count: 42) + "B",
        "fx_" + String(repeating: "A", count: 41) + "é", " fx_" + String(repeating: "A", count: 43),
    ])
    func malformedKeysAreRejected(text: String) {
        #expect(APIKey(text) == nil)
    }

    @Test func lastCharacterMayCarryOnlyFourBits() {
        #expect(APIKey("fx_" + String(repeating: "A", count: 42) + "E") != nil)
        #expect(APIKey("fx_" + String(repeating: "_", count: 42) + "8") != nil)
        #expect(APIKey("fx_" + String(repeating: "A", count: 42) + "F") == nil)
    }
}
