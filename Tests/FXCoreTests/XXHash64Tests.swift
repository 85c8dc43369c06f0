import FXSupport
import Testing

@Suite("XXH64, as its specification's reference implementation computes it")
struct XXHash64Tests {
    /// Values of the reference implementation (xxhsum -H1, python-xxhash), seed 0: the empty input, the
    /// tail paths (1 and 3 bytes), and 39 bytes (one 32-byte stripe, then 8-, 4- and 1-byte tails).
    @Test(arguments: [
        ("", UInt64(0xEF46_DB37_51D8_E999)),
        ("a", 0xD24E_C4F1_A98C_6E5B),
        ("abc", 0x44BC_2CF5_AD77_0999),
        ("Nobody inspects the spammish repetition", 0xFBCE_A83C_8A37_8BF1),
    ])
    func matchesTheReference(input: String, expected: UInt64) {
        #expect(XXHash64.hash(Array(input.utf8)) == expected)
    }

    @Test func everyByteChangesTheHash() {
        let body = Array("{\"base\":\"EUR\",\"date\":\"2026-10-30\",\"rates\":{\"USD\":\"1.1172\"}}".utf8)
        let original = XXHash64.hash(body)
        for index in body.indices {
            var changed = body
            changed[index] ^= 1
            #expect(XXHash64.hash(changed) != original, "byte \(index)")
        }
    }
}
