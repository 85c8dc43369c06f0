import Logging
import NIOConcurrencyHelpers
import NIOCore

/// The cluster side of `RedisClient`: one `ReconnectingConnection` per primary of the slot map, each command
/// sent to the primary of its key's slot, `MOVED` and `ASK` followed, and the map read again when a node
/// redirects, when a primary's connection is lost, while a slot has no reachable owner, and every 30 s.
///
/// The map and the redirection rules are pure values (`ClusterSlotMap`, `ClusterRedirectDecision`); this type
/// only acts on them. Connections come from the configuration aimed at each node, so whatever the
/// configuration says about connecting (credentials, and TLS once it has it) holds for every node.
final class ClusterRouter: Sendable {
    private struct Node: Sendable {
        let connection: ReconnectingConnection
        /// Opens once the node's first connection attempt has an outcome.
        let firstOutcome: StartGate
    }

    private struct State {
        var map = ClusterSlotMap()
        var nodes: [RedisEndpoint: Node] = [:]
        var lastRefresh: ContinuousClock.Instant?
        var nextAnyNode = 0
        var reportedMapUnavailable = false
    }

    /// While a slot has no reachable owner, the map is read this often (a failover takes the cluster's node
    /// timeout and an election; this only bounds how late the client notices the new primary).
    static let degradedRefreshInterval: Duration = .milliseconds(250)
    static let healthyRefreshInterval: Duration = .seconds(30)
    /// A `TRYAGAIN` or `CLUSTERDOWN` is resent after this pause, within the command's own timeout.
    static let retryPause: TimeAmount = .milliseconds(10)

    private let state = NIOLockedValueBox(State())
    private let seeds: [RedisEndpoint]
    private let configuration: RedisConfiguration
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private let refreshRequests: AsyncStream<Void>
    private let refreshContinuation: AsyncStream<Void>.Continuation
    private let onStateChange: @Sendable (RedisConnectionState) -> Void

    init(
        seeds: [RedisEndpoint], configuration: RedisConfiguration, eventLoopGroup: any EventLoopGroup, logger: Logger,
        onStateChange: @escaping @Sendable (RedisConnectionState) -> Void
    ) {
        self.seeds = seeds
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.onStateChange = onStateChange
        // One pending request stands for any number: a refresh reads the whole map.
        (refreshRequests, refreshContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Every node of the last map, replicas included, then the seeds: where a subscriber may connect.
    var knownNodes: [RedisEndpoint] {
        let nodes = state.withLockedValue { $0.map.nodes }
        return nodes + seeds.filter { !nodes.contains($0) }
    }

    /// Reads the map, keeps a connection to each primary and reads the map again whenever asked, until
    /// `shutdown()` or cancellation; then closes every connection. `started` is called once, when the first
    /// map read and the first connection attempt to each of its primaries have an outcome.
    func run(started: @Sendable () -> Void) async {
        await withDiscardingTaskGroup { group in
            group.addTask(operation: requestRefreshesWhileNeeded)
            var requests = refreshRequests.makeAsyncIterator()
            var isFirst = true
            repeat {
                let added = await refresh()
                for node in added {
                    group.addTask(operation: node.connection.run)
                }
                if isFirst {
                    let deadline = ContinuousClock.now + configuration.connectTimeout
                    for node in added {
                        try? await node.firstOutcome.wait(until: deadline)
                    }
                    started()
                    isFirst = false
                }
            } while await requests.next() != nil
            let nodes = state.withLockedValue { state in
                defer { state.nodes.removeAll() }
                return Array(state.nodes.values)
            }
            for node in nodes {
                await node.connection.shutdown()
            }
            group.cancelAll()
        }
    }

    /// Ends `run()`: no more refreshes, and every connection closes.
    func shutdown() {
        refreshContinuation.finish()
    }

    func requestRefresh() {
        refreshContinuation.yield()
    }

    // MARK: Routing

    /// Sends `argv` to the primary of its key's slot (a keyless command to any primary) and follows
    /// redirections within `timeout`. Nil when that primary has no connection up: nothing was sent.
    func send(_ argv: [RedisArgument], timeout: Duration) -> EventLoopFuture<RESPValue>? {
        let slot = ClusterCommandKeys.slot(of: argv)
        guard let (connection, host) = connection(forSlot: slot) else {
            requestRefresh()
            return nil
        }
        let deadline = NIODeadline.now() + TimeAmount(timeout)
        return follow(connection.send(argv, timeout: TimeAmount(timeout)), argv: argv, slot: slot,
                      replyingHost: host, deadline: deadline, redirections: 0)
    }

    /// What one command carries through its redirections.
    private struct Command: Sendable {
        let argv: [RedisArgument]
        let slot: Int?
        let deadline: NIODeadline
    }

    private func follow(
        _ reply: EventLoopFuture<RESPValue>, argv: [RedisArgument], slot: Int?, replyingHost: String,
        deadline: NIODeadline, redirections: Int
    ) -> EventLoopFuture<RESPValue> {
        let command = Command(argv: argv, slot: slot, deadline: deadline)
        return reply.flatMapError { error in
            self.redirect(command, after: error, from: replyingHost, redirections: redirections, on: reply.eventLoop)
        }
    }

    private func redirect(
        _ command: Command, after error: any Error, from replyingHost: String, redirections: Int, on eventLoop: any EventLoop
    ) -> EventLoopFuture<RESPValue> {
        let decision = ClusterRedirectDecision.decide(error, replyingHost: replyingHost, redirections: redirections)
        if decision == .fail { return eventLoop.makeFailedFuture(error) }
        guard command.deadline > .now() else { return eventLoop.makeFailedFuture(RedisError.timeout) }
        switch decision {
        case .fail:
            return eventLoop.makeFailedFuture(error)
        case .resendMoved(let movedSlot, let endpoint):
            state.withLockedValue { $0.map.assign(slot: movedSlot, to: endpoint) }
            requestRefresh()
            return resend(command, to: connection(to: endpoint), asking: false, redirections: redirections, on: eventLoop)
        case .resendAsking(let endpoint):
            return resend(command, to: connection(to: endpoint), asking: true, redirections: redirections, on: eventLoop)
        case .retryLater:
            requestRefresh()
            return eventLoop.flatScheduleTask(in: min(Self.retryPause, command.deadline - .now())) {
                self.resend(command, to: self.connection(forSlot: command.slot), asking: false,
                            redirections: redirections, on: eventLoop)
            }.futureResult
        }
    }

    private func resend(
        _ command: Command, to target: (RedisConnection, String)?, asking: Bool, redirections: Int, on eventLoop: any EventLoop
    ) -> EventLoopFuture<RESPValue> {
        guard let (connection, host) = target else { return eventLoop.makeFailedFuture(RedisError.connectionUnavailable) }
        let remaining = command.deadline - .now()
        guard remaining > .zero else { return eventLoop.makeFailedFuture(RedisError.timeout) }
        if asking {
            // Its reply is not awaited: the command pipelined right behind it says whether it worked.
            _ = connection.send(["ASKING"], timeout: remaining)
        }
        return follow(connection.send(command.argv, timeout: remaining), argv: command.argv, slot: command.slot,
                      replyingHost: host, deadline: command.deadline, redirections: redirections + 1)
    }

    private func connection(forSlot slot: Int?) -> (RedisConnection, String)? {
        state.withLockedValue { state in
            if let slot {
                guard let endpoint = state.map.primary(forSlot: slot),
                      let connection = state.nodes[endpoint]?.connection.activeConnection
                else { return nil }
                return (connection, endpoint.host)
            }
            let endpoints = state.map.primaries
            guard !endpoints.isEmpty else { return nil }
            let start = state.nextAnyNode
            state.nextAnyNode = (start + 1) % endpoints.count
            for offset in endpoints.indices {
                let endpoint = endpoints[(start + offset) % endpoints.count]
                if let connection = state.nodes[endpoint]?.connection.activeConnection { return (connection, endpoint.host) }
            }
            return nil
        }
    }

    private func connection(to endpoint: RedisEndpoint) -> (RedisConnection, String)? {
        state.withLockedValue { $0.nodes[endpoint]?.connection.activeConnection }.map { ($0, endpoint.host) }
    }

    // MARK: The slot map

    /// Asks for a refresh every `degradedRefreshInterval` while a slot has no reachable owner, and every
    /// `healthyRefreshInterval` otherwise; until cancelled.
    private func requestRefreshesWhileNeeded() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: Self.degradedRefreshInterval)
            let due = state.withLockedValue { state in
                let stale = state.lastRefresh.map { ContinuousClock.now - $0 >= Self.healthyRefreshInterval } ?? true
                return stale || Self.isDegraded(state)
            }
            if due { requestRefresh() }
        }
    }

    private static func isDegraded(_ state: State) -> Bool {
        state.map.assignedSlotCount < ClusterKeySlot.slotCount
            || state.map.primaries.contains { state.nodes[$0]?.connection.activeConnection == nil }
    }

    /// Reads the map from the first node that answers (primaries with a connection up first, then every
    /// known node, then the seeds) and installs it; returns the primaries that are new, to be run.
    private func refresh() async -> [Node] {
        let candidates = state.withLockedValue { state in
            let connected = state.map.primaries.filter { state.nodes[$0]?.connection.activeConnection != nil }
            return connected + state.map.nodes.filter { !connected.contains($0) }
        }
        var tried = Set<RedisEndpoint>()
        for endpoint in candidates + seeds where tried.insert(endpoint).inserted {
            do {
                let map = try await fetchMap(from: endpoint)
                guard map.assignedSlotCount > 0 else { continue }
                return await install(map)
            } catch {
                logger.trace("reading the cluster slot map failed", metadata: ["redis.node": "\(endpoint)", "error": "\(error)"])
            }
        }
        let first = state.withLockedValue { state in
            defer { state.reportedMapUnavailable = true }
            return !state.reportedMapUnavailable
        }
        if first { logger.warning("no Redis Cluster node answered for the slot map; retrying in the background") }
        return []
    }

    private func fetchMap(from endpoint: RedisEndpoint) async throws -> ClusterSlotMap {
        if let (connection, host) = connection(to: endpoint) {
            return try await fetchMap(on: connection, replyingHost: host)
        }
        let connection = try await RedisConnection.connect(
            configuration: configuration.aimed(at: endpoint), eventLoop: eventLoopGroup.next(), logger: logger)
        do {
            let map = try await fetchMap(on: connection, replyingHost: endpoint.host)
            await connection.close()
            return map
        } catch {
            await connection.close()
            throw error
        }
    }

    /// `CLUSTER SHARDS`, or `CLUSTER SLOTS` from a Redis before 7 that does not know it (which, asked over TLS,
    /// lists the TLS ports itself).
    private func fetchMap(on connection: RedisConnection, replyingHost: String) async throws -> ClusterSlotMap {
        let timeout = TimeAmount(configuration.connectTimeout)
        do {
            let reply = try await connection.send(["CLUSTER", "SHARDS"], timeout: timeout).get()
            return try ClusterSlotMap(clusterShards: reply, replyingHost: replyingHost,
                                      usesTLS: configuration.tls != nil)
        } catch RedisError.server {
            let reply = try await connection.send(["CLUSTER", "SLOTS"], timeout: timeout).get()
            return try ClusterSlotMap(clusterSlots: reply, replyingHost: replyingHost)
        }
    }

    /// Makes `map` current: a connection for each new primary, and none for a node that is no longer one.
    private func install(_ map: ClusterSlotMap) async -> [Node] {
        let (added, removed, changed) = state.withLockedValue { state in
            let changed = !state.map.hasSameOwners(as: map)
            state.map = map
            state.lastRefresh = .now
            state.reportedMapUnavailable = false
            var added: [Node] = []
            for endpoint in map.primaries where state.nodes[endpoint] == nil {
                let node = makeNode(endpoint)
                state.nodes[endpoint] = node
                added.append(node)
            }
            let gone = state.nodes.keys.filter { !map.primaries.contains($0) }
            let removed = gone.compactMap { state.nodes.removeValue(forKey: $0) }
            return (added, removed, changed)
        }
        if changed {
            logger.info("Redis Cluster slot map read", metadata: [
                "redis.primaries": "\(map.primaries.map(\.description))",
                "redis.assigned_slots": "\(map.assignedSlotCount)",
            ])
        }
        for node in removed {
            await node.connection.shutdown()
        }
        if !removed.isEmpty { reportState() }
        return added
    }

    private func makeNode(_ endpoint: RedisEndpoint) -> Node {
        var nodeLogger = logger
        nodeLogger[metadataKey: "redis.node"] = "\(endpoint)"
        let firstOutcome = StartGate()
        let connection = ReconnectingConnection(
            configuration: configuration.aimed(at: endpoint), eventLoop: eventLoopGroup.next(), logger: nodeLogger,
            onStateChange: { [weak self] connectionState in
                firstOutcome.open()
                // A lost primary may be failing over: read the map now, and keep reading it until it has an owner.
                if connectionState == .disconnected { self?.requestRefresh() }
                self?.reportState()
            })
        return Node(connection: connection, firstOutcome: firstOutcome)
    }

    /// Connected while any primary's connection is up, as a standalone client is while any of its connections is.
    private func reportState() {
        let anyUp = state.withLockedValue { state in
            state.nodes.values.contains { $0.connection.activeConnection != nil }
        }
        onStateChange(anyUp ? .connected : .disconnected)
    }
}
