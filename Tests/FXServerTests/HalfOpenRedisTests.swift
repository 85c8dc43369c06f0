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
                    defer { for rule in rules { _ = try? Firewall.run(["-w", "-D"] + rule) } }
                    for port in ports {
                        let rule = ["INPUT", "-i", "lo", "-p", "tcp", "--sport", "\(port)", "--dport", "\(server.port)",
                                    "-m", "comment", "--comment", "fxrates-test", "-j", "DROP"]
                        #expect(try Firewall.run(["-w", "-I"] + rule) == 0)
                        rules.append(rule)
                    }
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
