import Testing

@testable import FXRedis

/// The cluster's key-to-slot function, against the Redis Cluster specification.
@Suite struct ClusterKeySlotTests {
    @Test func crc16MatchesTheSpecificationsVector() {
        #expect(ClusterKeySlot.crc16(Array("123456789".utf8)) == 0x31C3)
    }

    @Test func slotsAgreeWithRedis() {
        // `CLUSTER KEYSLOT` of redis-server 7.0 for each key.
        #expect(ClusterKeySlot.slot(of: "foo") == 12_182)
        #expect(ClusterKeySlot.slot(of: "bar") == 5_061)
        #expect(ClusterKeySlot.slot(of: "123456789") == 0x31C3 % 16_384)
        #expect(ClusterKeySlot.slot(of: "") == 0)
    }

    @Test func aHashTagIsHashedAlone() {
        #expect(ClusterKeySlot.slot(of: "{user1000}.following") == ClusterKeySlot.slot(of: "user1000"))
        #expect(ClusterKeySlot.slot(of: "{user1000}.followers") == ClusterKeySlot.slot(of: "user1000"))
        #expect(ClusterKeySlot.slot(of: "fxrates:rates:snapshot:{abc}") == ClusterKeySlot.slot(of: "fxrates:rates:lock:{abc}"))
    }

    @Test func theSpecificationsHashTagEdgeCases() {
        // Only the first `{` counts, up to the first `}` after it.
        #expect(Array(ClusterKeySlot.hashed(Array("foo{{bar}}zap".utf8))) == Array("{bar".utf8))
        #expect(Array(ClusterKeySlot.hashed(Array("foo{bar}{zap}".utf8))) == Array("bar".utf8))
        // An empty tag, or none closed, hashes the whole key.
        #expect(Array(ClusterKeySlot.hashed(Array("foo{}{bar}".utf8))) == Array("foo{}{bar}".utf8))
        #expect(Array(ClusterKeySlot.hashed(Array("foo{bar".utf8))) == Array("foo{bar".utf8))
        #expect(Array(ClusterKeySlot.hashed(Array("}foo{".utf8))) == Array("}foo{".utf8))
    }

    @Test func commandsRouteByTheirFirstKey() {
        #expect(ClusterCommandKeys.slot(of: ["GET", "foo"]) == 12_182)
        #expect(ClusterCommandKeys.slot(of: ["set", "foo", "1"]) == 12_182)
        #expect(ClusterCommandKeys.slot(of: ["EVALSHA", "abc", "2", "{x}1", "{x}2", "arg"]) == ClusterKeySlot.slot(of: "x"))
        #expect(ClusterCommandKeys.slot(of: ["EVAL", "return 1", "0"]) == nil)
        #expect(ClusterCommandKeys.slot(of: ["EVAL", "return 1", "1"]) == nil, "numkeys past the end")
        #expect(ClusterCommandKeys.slot(of: ["EVALSHA", "abc", "x", "k"]) == nil)
        #expect(ClusterCommandKeys.slot(of: ["PUBLISH", "channel", "message"]) == nil)
        #expect(ClusterCommandKeys.slot(of: ["PING"]) == nil)
        #expect(ClusterCommandKeys.slot(of: ["GET"]) == nil)
        #expect(ClusterCommandKeys.slot(of: []) == nil)
    }
}
