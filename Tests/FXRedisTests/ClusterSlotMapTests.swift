import NIOCore
import Testing

@testable import FXRedis

/// The slot map read from the RESP replies of `CLUSTER SHARDS` and `CLUSTER SLOTS`, as redis-server 7.0 sends them.
@Suite struct ClusterSlotMapTests {
    private static func text(_ value: String) -> RESPValue { .bulkString(ByteBuffer(string: value)) }

    private static func shardNode(port: Int64, role: String, health: String = "online", ip: String = "127.0.0.1") -> RESPValue {
        .array([text("id"), text("id\(port)"), text("port"), .integer(port), text("ip"), text(ip),
                text("endpoint"), text(ip), text("role"), text(role), text("replication-offset"), .integer(42),
                text("health"), text(health)])
    }

    private static func shard(_ slots: [Int64], _ nodes: [RESPValue]) -> RESPValue {
        .array([text("slots"), .array(slots.map(RESPValue.integer)), text("nodes"), .array(nodes)])
    }

    @Test func shardsGiveEachSlotToTheShardsPrimary() throws {
        let reply = RESPValue.array([
            Self.shard([0, 5460], [Self.shardNode(port: 7000, role: "master"), Self.shardNode(port: 7003, role: "replica")]),
            Self.shard([5461, 10922], [Self.shardNode(port: 7004, role: "replica"), Self.shardNode(port: 7001, role: "master")]),
            Self.shard([10923, 12000, 12001, 16383], [Self.shardNode(port: 7002, role: "master")]),
        ])
        let map = try ClusterSlotMap(clusterShards: reply, replyingHost: "127.0.0.1")
        #expect(map.assignedSlotCount == 16_384)
        #expect(map.primary(forSlot: 0) == RedisEndpoint(host: "127.0.0.1", port: 7000))
        #expect(map.primary(forSlot: 5461) == RedisEndpoint(host: "127.0.0.1", port: 7001))
        #expect(map.primary(forSlot: 16_383) == RedisEndpoint(host: "127.0.0.1", port: 7002))
        #expect(map.primaries.map(\.port) == [7000, 7001, 7002])
        #expect(Set(map.nodes.map(\.port)) == [7000, 7001, 7002, 7003, 7004])
    }

    /// `rediss+cluster`: a node with `tls-cluster` lists its TLS port beside the plain one, and over TLS that is
    /// the one to connect to; a TLS-only node lists `tls-port` alone.
    @Test func overTLSANodeIsReachedAtItsTLSPort() throws {
        let node = { (port: Int64, tlsPort: Int64) in
            RESPValue.array([Self.text("port"), .integer(port), Self.text("tls-port"), .integer(tlsPort),
                             Self.text("ip"), Self.text("10.0.0.1"), Self.text("role"), Self.text("master")])
        }
        let tlsOnly = RESPValue.array([Self.text("tls-port"), .integer(7101), Self.text("ip"), Self.text("10.0.0.2"),
                                       Self.text("role"), Self.text("master")])
        let reply = RESPValue.array([Self.shard([0, 8191], [node(7000, 7100)]), Self.shard([8192, 16383], [tlsOnly])])
        let overTLS = try ClusterSlotMap(clusterShards: reply, replyingHost: "h", usesTLS: true)
        #expect(overTLS.primary(forSlot: 0) == RedisEndpoint(host: "10.0.0.1", port: 7100))
        #expect(overTLS.primary(forSlot: 8192) == RedisEndpoint(host: "10.0.0.2", port: 7101))
        let plain = try ClusterSlotMap(clusterShards: reply, replyingHost: "h")
        #expect(plain.primary(forSlot: 0) == RedisEndpoint(host: "10.0.0.1", port: 7000))
        #expect(plain.primary(forSlot: 8192) == nil, "a TLS-only node has no plain port")
    }

    @Test func aShardWhosePrimaryFailedHasNoOwnerUntilTheFailover() throws {
        let reply = RESPValue.array([
            Self.shard([0, 99], [Self.shardNode(port: 7000, role: "master", health: "failed"),
                                 Self.shardNode(port: 7003, role: "replica")]),
            Self.shard([100, 16383], [Self.shardNode(port: 7001, role: "master", ip: "")]),
        ])
        let map = try ClusterSlotMap(clusterShards: reply, replyingHost: "10.1.1.1")
        #expect(map.primary(forSlot: 0) == nil)
        #expect(map.primary(forSlot: 100) == RedisEndpoint(host: "10.1.1.1", port: 7001))
        #expect(map.assignedSlotCount == 16_284)
    }

    @Test func slotsOfOlderRedis() throws {
        let node = { (port: Int64) in RESPValue.array([Self.text("127.0.0.1"), .integer(port), Self.text("id\(port)")]) }
        let reply = RESPValue.array([
            .array([.integer(0), .integer(8191), node(7000), node(7003)]),
            .array([.integer(8192), .integer(16383), .array([Self.text("?"), .integer(7001)])]),
        ])
        let map = try ClusterSlotMap(clusterSlots: reply, replyingHost: "10.0.0.9")
        #expect(map.primary(forSlot: 8191)?.port == 7000)
        #expect(map.primary(forSlot: 8192) == RedisEndpoint(host: "10.0.0.9", port: 7001))
        #expect(map.nodes.map(\.port).contains(7003))
    }

    @Test func movedReassignsOneSlot() throws {
        var map = try ClusterSlotMap(clusterSlots: .array([.array([.integer(0), .integer(16383),
                                                                   .array([Self.text("h"), .integer(1)])])]),
                                     replyingHost: "h")
        map.assign(slot: 42, to: RedisEndpoint(host: "h", port: 2))
        #expect(map.primary(forSlot: 42)?.port == 2)
        #expect(map.primary(forSlot: 41)?.port == 1)
        #expect(map.primaries.count == 2)
    }

    @Test(arguments: [
        RESPValue.simpleString("OK"),
        .array([.array([.integer(0)])]),
        .array([.array([.integer(0), .integer(16384), .array([.simpleString("h"), .integer(1)])])]),
        .array([.array([.integer(9), .integer(3), .array([.simpleString("h"), .integer(1)])])]),
        .array([.array([.integer(0), .integer(3), .array([.simpleString("h"), .integer(0)])])]),
    ])
    func malformedSlotRepliesAreRejected(reply: RESPValue) {
        #expect(throws: ClusterSlotMapError.self) { try ClusterSlotMap(clusterSlots: reply, replyingHost: "h") }
    }

    @Test func malformedShardRepliesAreRejected() {
        #expect(throws: ClusterSlotMapError.self) {
            try ClusterSlotMap(clusterShards: .array([.array([Self.text("slots")])]), replyingHost: "h")
        }
        #expect(throws: ClusterSlotMapError.self) {
            try ClusterSlotMap(clusterShards: .array([Self.shard([0], [Self.shardNode(port: 1, role: "master")])]),
                               replyingHost: "h")
        }
    }
}
