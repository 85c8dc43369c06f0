import FXCore
import FXLifecycle
import FXRedis
import FXServer
import FXSupport
import FXTestSupport
import Foundation
import HummingbirdTesting
import Testing

/// Redis replaced behind a stable address: the replica's connections go silent for good (nothing they send
/// is answered, not even with a reset) while a new connection works. Simulated with iptables dropping what the
/// replica's established connections send, one rule per connection; new connections pass.
/// iptables, when this process may change its rules (root; the CI runs the tests as root).
private enum Firewall {
    static let iptables = "/usr/sbin/iptables"

    static var isUsable: Bool {
        guard geteuid() == 0, FileManager.default.isExecutableFile(atPath: iptables) else { return false }
        return (try? run(["-w", "-L", "INPUT", "-n"])) == 0
    }

    @discardableResult
    static func run(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: iptables)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}

@Suite("Shared limits resume after Redis's connections go silent",
       .enabled(if: Firewall.isUsable,
                "skipped: needs root and /usr/sbin/iptables to drop the packets of a replica's connections"))
struct HalfOpenRedisTests {

    @Test func sharedLimitsResumeWithinSecondsWhenTheConnectionsGoSilent() async throws {
        let server = try await RedisServerProcess()
        defer { server.destroy() }
        var configuration = try RedisConfiguration(url: server.url)
        configuration.reconnectPolicy = ReconnectBackoff(initialDelay: .milliseconds(20), maximumDelay: .milliseconds(200))
        var adminConfiguration = configuration
        adminConfiguration.connectionCount = 1
        adminConfiguration.commandTimeout = .seconds(30)
        try await withRunning(RedisClient(configuration: adminConfiguration, logger: TestDatabase.logger)) { admin in
            try await admin.waitUntilConnected(timeout: .seconds(30))
            try await withRunning(RedisClient(configuration: configuration, logger: TestDatabase.logger)) { redis in
                try await redis.waitUntilConnected(timeout: .seconds(30))
                try await withRedisLimitedApp(redis) { http in
                    try await expectConversionsServed(http, requests: 10)
                    #expect(try await admin.send("DBSIZE").int ?? 0 > 0, "limits are counted in Redis")

                    let ports = try await clientPorts(of: server, except: admin)
                    #expect(ports.count == RedisConfiguration(host: "127.0.0.1").connectionCount)
                    var rules: [[String]] = []
                    // Every exit path removes the rules, or the loopback keeps dropping those ports; a crashed test
                    // process cannot, so the rules carry the comment scripts/run-swift-tests.sh removes by.
                    defer { removeRules(rules) }
                    try silence(ports, of: server, recordingIn: &rules)
                    _ = try await admin.send("FLUSHALL")

                    let silenced = ContinuousClock.now
                    var resumed = false
                    while !resumed, ContinuousClock.now - silenced < .seconds(30) {
                        try await expectConversionsServed(http, requests: 1)
                        resumed = try await admin.send("DBSIZE").int ?? 0 > 0
                        if !resumed { try await Task.sleep(for: .milliseconds(20)) }
                    }
                    let recovery = ContinuousClock.now - silenced
                    print("shared limits resumed after the connections went silent: \(resumed ? "\(recovery)" : "never")")
                    #expect(resumed && recovery < .seconds(10), "shared limits resumed after \(recovery), or never")
                }
            }
        }
    }

    /// One command times out on the silenced connection and nothing more is sent on it, as when the circuit
    /// breaker in front holds the traffic back: the connection is still replaced, within the rule's allowance
    /// after the timeout, not when the kernel gives up on it (`TCP_USER_TIMEOUT`, 11 s).
    @Test func aSilentConnectionIsReplacedAfterOneTimedOutCommand() async throws {
        let server = try await RedisServerProcess()
        defer { server.destroy() }
        var configuration = try RedisConfiguration(url: server.url)
        configuration.connectionCount = 1
        configuration.reconnectPolicy = ReconnectBackoff(initialDelay: .milliseconds(20), maximumDelay: .milliseconds(200))
        var adminConfiguration = configuration
        adminConfiguration.commandTimeout = .seconds(30)
        try await withRunning(RedisClient(configuration: adminConfiguration, logger: TestDatabase.logger)) { admin in
            try await admin.waitUntilConnected(timeout: .seconds(30))
            try await withRunning(RedisClient(configuration: configuration, logger: TestDatabase.logger)) { redis in
                try await redis.waitUntilConnected(timeout: .seconds(30))
                let ports = try await clientPorts(of: server, except: admin)
                #expect(ports.count == 1)
                let states = redis.connectionStates()
                var rules: [[String]] = []
                defer { removeRules(rules) }
                try silence(ports, of: server, recordingIn: &rules)

                await #expect(throws: RedisError.timeout) { try await redis.send("PING", timeout: .milliseconds(50)) }
                let timedOut = ContinuousClock.now
                // Lost, then up again on a new connection, with nothing sent meanwhile.
                let replaced = try? await withDeadline(timedOut + .seconds(5), timeoutError: RedisError.timeout) {
                    var lost = false
                    for await state in states {
                        if state == .disconnected { lost = true } else if lost { return true }
                    }
                    return false
                }
                let took = ContinuousClock.now - timedOut
                print("a silent connection was replaced \(replaced == true ? "\(took)" : "not within 5 s") after its command timed out")
                #expect(replaced == true, "the silent connection was not replaced within 5 s of its command's timeout")
                #expect(try await redis.send("PING", timeout: .seconds(5)) == .simpleString("PONG"))
            }
        }
    }

    /// Drops what each of `ports` sends to the server (one rule per port, tagged `fxrates-test`), recording each
    /// rule as soon as it is in place, so that the caller's `removeRules` deletes whatever was added.
    private func silence(_ ports: [Int], of server: RedisServerProcess, recordingIn rules: inout [[String]]) throws {
        for port in ports {
            let rule = ["INPUT", "-i", "lo", "-p", "tcp", "--sport", "\(port)", "--dport", "\(server.port)",
                        "-m", "comment", "--comment", "fxrates-test", "-j", "DROP"]
            #expect(try Firewall.run(["-w", "-I"] + rule) == 0)
            rules.append(rule)
        }
    }

    private func removeRules(_ rules: [[String]]) {
        for rule in rules { _ = try? Firewall.run(["-w", "-D"] + rule) }
    }

    /// The local ports of the server's clients but `admin`: the replica's connections, from Redis's side.
    private func clientPorts(of server: RedisServerProcess, except admin: RedisClient) async throws -> [Int] {
        let adminID = try await admin.send("CLIENT", ["ID"]).int
        let list = try await admin.send("CLIENT", ["LIST"]).string ?? ""
        return list.split(whereSeparator: \.isNewline).compactMap { line in
            let pairs = line.split(separator: " ").map { $0.split(separator: "=", maxSplits: 1) }
            let fields = Dictionary(pairs.filter { $0.count == 2 }.map { (String($0[0]), String($0[1])) },
                                    uniquingKeysWith: { first, _ in first })
            guard let id = fields["id"].flatMap({ Int64($0) }), id != adminID,
                  let address = fields["addr"], let port = address.split(separator: ":").last.flatMap({ Int($0) })
            else { return nil }
            return port
        }
    }
}
