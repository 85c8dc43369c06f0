/// A fixed-capacity map that evicts the least recently used entry when full.
/// Not synchronized: wrap it in a `Mutex` to share it.
public struct LRUCache<Key: Hashable, Value> {
    private struct Node {
        var key: Key
        var value: Value
        var newer: Int?
        var older: Int?
    }

    public let capacity: Int
    private var nodes: [Node] = []
    private var index: [Key: Int] = [:]
    private var newest: Int?
    private var oldest: Int?

    public init(capacity: Int) {
        precondition(capacity > 0, "an LRU cache needs room for one entry")
        self.capacity = capacity
    }

    public var count: Int { index.count }

    /// The value for `key`, which becomes the most recently used.
    public mutating func value(for key: Key) -> Value? {
        guard let slot = index[key] else { return nil }
        touch(slot)
        return nodes[slot].value
    }

    /// Stores `value` as the most recently used, evicting the least recently used entry when full.
    public mutating func set(_ value: Value, for key: Key) {
        if let slot = index[key] {
            nodes[slot].value = value
            touch(slot)
            return
        }
        insert(value, for: key)
    }

    /// Changes the value for `key` where it is stored, so a value holding arrays is not copied on every change;
    /// an absent key gets `make()` first, evicting as `set` does. The entry becomes the most recently used.
    public mutating func update<Result>(_ key: Key, default make: () -> Value, _ change: (inout Value) -> Result) -> Result {
        let slot: Int
        if let found = index[key] {
            touch(found)
            slot = found
        } else {
            slot = insert(make(), for: key)
        }
        return change(&nodes[slot].value)
    }

    @discardableResult
    private mutating func insert(_ value: Value, for key: Key) -> Int {
        let slot: Int
        if nodes.count < capacity {
            nodes.append(Node(key: key, value: value))
            slot = nodes.count - 1
        } else {
            slot = oldest!
            unlink(slot)
            index[nodes[slot].key] = nil
            nodes[slot] = Node(key: key, value: value)
        }
        index[key] = slot
        linkAsNewest(slot)
        return slot
    }

    public mutating func remove(_ key: Key) {
        guard let slot = index.removeValue(forKey: key) else { return }
        unlink(slot)
        // Move the last node into the freed slot so `nodes` stays dense.
        let last = nodes.count - 1
        if slot != last {
            nodes[slot] = nodes[last]
            index[nodes[slot].key] = slot
            if let newer = nodes[slot].newer { nodes[newer].older = slot } else { newest = slot }
            if let older = nodes[slot].older { nodes[older].newer = slot } else { oldest = slot }
        }
        nodes.removeLast()
    }

    public mutating func removeAll() {
        nodes.removeAll()
        index.removeAll()
        newest = nil
        oldest = nil
    }

    private mutating func touch(_ slot: Int) {
        guard newest != slot else { return }
        unlink(slot)
        linkAsNewest(slot)
    }

    private mutating func unlink(_ slot: Int) {
        let (newer, older) = (nodes[slot].newer, nodes[slot].older)
        if let newer { nodes[newer].older = older } else { newest = older }
        if let older { nodes[older].newer = newer } else { oldest = newer }
        nodes[slot].newer = nil
        nodes[slot].older = nil
    }

    private mutating func linkAsNewest(_ slot: Int) {
        nodes[slot].older = newest
        if let newest { nodes[newest].newer = slot }
        newest = slot
        if oldest == nil { oldest = slot }
    }
}
