import FXSupport
import Testing

@Suite("libcrypto's SHA-256 and SHA-1 (FIPS 180-4 vectors)")
struct MessageDigestTests {
    private func hex(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    @Test func abc() {
        #expect(hex(MessageDigest.sha256(Array("abc".utf8)))
            == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func emptyMessage() {
        #expect(hex(MessageDigest.sha256([UInt8]()))
            == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func twoBlockMessage() {
        let message = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
        #expect(hex(MessageDigest.sha256(Array(message.utf8)))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func oneMillionAs() {
        #expect(hex(MessageDigest.sha256([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)))
            == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test(arguments: [55, 56, 63, 64, 65, 119, 120])
    func paddingBoundariesAreStable(length: Int) {
        let digest = MessageDigest.sha256([UInt8](repeating: 0x61, count: length))
        #expect(digest.count == 32)
        #expect(digest != MessageDigest.sha256([UInt8](repeating: 0x61, count: length + 1)))
    }

    @Test(arguments: [
        ("", "da39a3ee5e6b4b0d3255bfef95601890afd80709"),
        ("abc", "a9993e364706816aba3e25717850c26c9cd0d89d"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "84983e441c3bd26ebaae4aa1f95129e5e54670f1"),
    ])
    func sha1(message: String, digest: String) {
        #expect(hex(MessageDigest.sha1(Array(message.utf8))) == digest)
    }

    @Test func sha1OfOneMillionAs() {
        #expect(hex(MessageDigest.sha1([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)))
            == "34aa973cd4c4daa4f61eeb2bdbad27316534016f")
    }

    @Test func bufferAndCollectionAgree() {
        let message = Array("abc".utf8)
        #expect(message.withUnsafeBytes { MessageDigest.sha256($0) } == MessageDigest.sha256(message))
        #expect(MessageDigest.sha256(message[...].lazy.map { $0 }) == MessageDigest.sha256(message))
    }
}
