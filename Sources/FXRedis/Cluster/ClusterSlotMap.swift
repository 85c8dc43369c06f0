/// Which primary serves each of the 16,384 hash slots, read from `CLUSTER SHARDS` (Redis 7) or
/// `CLUSTER SLOTS` (older). A pure value: parsed from the RESP reply, updated by `MOVED`, looked up per command.
struct ClusterSlotMap: Sendable {
    /// The primaries, each once; `owners` holds indexes into it.
    private(set) var primaries: [RedisEndpoint] = []
    /// Every node the reply named, replicas included: where to ask for the map next and where a subscriber
    /// may move to.
    private(set) var nodes: [RedisEndpoint] = []
    /// The owner of each slot as an index into `primaries`, or `unassigned`.
    private var owners = [UInt16](repeating: unassigned, count: ClusterKeySlot.slotCount)

    private static let unassigned = UInt16.max
    /// A cluster of more primaries than this is not one a reply should describe: the map stays bounded.
    static let maximumNodes = 1_000

    init() {}

    /// The slots that have an owner.
    var assignedSlotCount: Int {
        owners.lazy.filter { $0 != Self.unassigned }.count
    }

    func primary(forSlot slot: Int) -> RedisEndpoint? {
        guard owners.indices.contains(slot) else { return nil }
        let owner = owners[slot]
        return owner == Self.unassigned ? nil : primaries[Int(owner)]
    }

    /// Whether every slot has the same primary in both (nodes list the primaries in whatever order they like).
    func hasSameOwners(as other: ClusterSlotMap) -> Bool {
        (0..<ClusterKeySlot.slotCount).allSatisfy { primary(forSlot: $0) == other.primary(forSlot: $0) }
    }

    /// `MOVED slot endpoint`: the slot is `endpoint`'s now, until the next refresh says more.
    mutating func assign(slot: Int, to endpoint: RedisEndpoint) {
        guard owners.indices.contains(slot), let index = primaryIndex(endpoint) else { return }
        owners[slot] = index
    }

    private mutating func primaryIndex(_ endpoint: RedisEndpoint) -> UInt16? {
        if let index = primaries.firstIndex(of: endpoint) { return UInt16(index) }
        guard primaries.count < Self.maximumNodes else { return nil }
        primaries.append(endpoint)
        addNode(endpoint)
        return UInt16(primaries.count - 1)
    }

    private mutating func addNode(_ endpoint: RedisEndpoint) {
        if !nodes.contains(endpoint), nodes.count < Self.maximumNodes { nodes.append(endpoint) }
    }

    private mutating func assign(_ range: ClosedRange<Int>, to endpoint: RedisEndpoint) throws {
        guard range.lowerBound >= 0, range.upperBound < ClusterKeySlot.slotCount else {
            throw ClusterSlotMapError.malformed("slot range \(range) outside 0…16383")
        }
        guard let index = primaryIndex(endpoint) else { throw ClusterSlotMapError.malformed("too many primaries") }
        for slot in range { owners[slot] = index }
    }
}

enum ClusterSlotMapError: Error, Equatable {
    case malformed(String)
}

extension ClusterSlotMap {
    /// Parses `CLUSTER SLOTS`: `[[start, end, [host, port, id, …], replica…], …]`. A node without a known
    /// host (empty, or `?`) is reached at `replyingHost`, the host of the node that answered.
    init(clusterSlots reply: RESPValue, replyingHost: String) throws {
        self.init()
        guard let ranges = reply.array else { throw ClusterSlotMapError.malformed("CLUSTER SLOTS is not an array") }
        for range in ranges {
            guard let fields = range.array, fields.count >= 3,
                  let start = fields[0].int, let end = fields[1].int, start <= end,
                  let primary = Self.endpoint(fields[2], replyingHost: replyingHost)
            else { throw ClusterSlotMapError.malformed("a CLUSTER SLOTS range") }
            try assign(Int(clamping: start)...Int(clamping: end), to: primary)
            for replica in fields.dropFirst(3) {
                if let replica = Self.endpoint(replica, replyingHost: replyingHost) { addNode(replica) }
            }
        }
    }

    private static func endpoint(_ node: RESPValue, replyingHost: String) -> RedisEndpoint? {
        guard let fields = node.array, fields.count >= 2, let host = fields[0].string,
              let port = fields[1].int, (1...65_535).contains(port)
        else { return nil }
        return RedisEndpoint(host: host.isEmpty || host == "?" ? replyingHost : host, port: Int(port))
    }

    /// Parses `CLUSTER SHARDS` (RESP2): per shard a flat key-value array with `slots` (start, end pairs) and
    /// `nodes` (each a key-value array with `ip`, `endpoint`, `port`, `role`, `health`). A shard's slots go to
    /// its node whose role is `master` and whose health is `online`; a shard with none (its primary `failed` or
    /// `loading`) has its slots unassigned until a refresh finds its new primary. Over TLS (`rediss+cluster`) a
    /// node is reached at its `tls-port`, the port a node with `tls-cluster` lists beside its plain `port`.
    init(clusterShards reply: RESPValue, replyingHost: String, usesTLS: Bool = false) throws {
        self.init()
        guard let shards = reply.array else { throw ClusterSlotMapError.malformed("CLUSTER SHARDS is not an array") }
        for shard in shards {
            let fields = try Self.dictionary(shard)
            guard let slots = fields["slots"]?.array, slots.count % 2 == 0, let nodeList = fields["nodes"]?.array
            else { throw ClusterSlotMapError.malformed("a CLUSTER SHARDS shard") }
            var primary: RedisEndpoint?
            for node in nodeList {
                let node = try Self.dictionary(node)
                guard let endpoint = Self.shardNodeEndpoint(node, replyingHost: replyingHost, usesTLS: usesTLS)
                else { continue }
                if node["role"]?.string == "master", node["health"].map({ $0.string == "online" }) ?? true {
                    primary = endpoint
                } else {
                    addNode(endpoint)
                }
            }
            guard let primary else { continue }
            for pair in stride(from: 0, to: slots.count, by: 2) {
                guard let start = slots[pair].int, let end = slots[pair + 1].int, start <= end
                else { throw ClusterSlotMapError.malformed("a CLUSTER SHARDS slot range") }
                try assign(Int(clamping: start)...Int(clamping: end), to: primary)
            }
        }
    }

    private static func shardNodeEndpoint(_ node: [String: RESPValue], replyingHost: String,
                                          usesTLS: Bool) -> RedisEndpoint? {
        // A node serving TLS only lists `tls-port` alone; with TLS on both ports it lists both.
        let port = usesTLS ? (node["tls-port"] ?? node["port"]) : node["port"]
        guard let port = port?.int, (1...65_535).contains(port) else { return nil }
        let host = [node["endpoint"]?.string, node["ip"]?.string].compactMap { $0 }
            .first { !$0.isEmpty && $0 != "?" } ?? replyingHost
        return RedisEndpoint(host: host, port: Int(port))
    }

    private static func dictionary(_ value: RESPValue) throws -> [String: RESPValue] {
        guard let elements = value.array, elements.count % 2 == 0 else {
            throw ClusterSlotMapError.malformed("a CLUSTER SHARDS entry is not a key-value array")
        }
        var fields: [String: RESPValue] = [:]
        for pair in stride(from: 0, to: elements.count, by: 2) {
            guard let key = elements[pair].string else { throw ClusterSlotMapError.malformed("a non-text field name") }
            fields[key] = elements[pair + 1]
        }
        return fields
    }
}
