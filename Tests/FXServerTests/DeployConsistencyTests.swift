import Foundation
import Testing

@testable import FXServer

/// The rendered Kubernetes manifests, the compose file and the README against the code: every variable
/// they set is one `Settings` reads (or a library's, by prefix), their values parse, the probes and ports are
/// the server's, and the grace period covers preStop, the drain and the longest request.
@Suite("deploy/, docker-compose.yml and the README agree with the code")
struct DeployConsistencyTests {
    /// The longest request a replica may still be finishing when SIGTERM comes: PostgreSQL's 5 s
    /// statement timeout plus the pool's 2 s acquire timeout, with margin (see PostgresClientConfiguration.serving).
    static let longestRequestSeconds = 10

    /// Runs `body` on a thread of its own: it waits on kubectl and Python for seconds, which on the
    /// cooperative pool (two threads here) would stall every other test's tasks, Redis reconnects included.
    private func onOwnThread(_ body: @escaping @Sendable () throws -> Void) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    /// Variables that libraries read themselves: libpq's `PG*` and OpenTelemetry's `OTEL_*`.
    static func isKnown(_ variable: String) -> Bool {
        Settings.variables.contains(variable) || variable.hasPrefix("PG") || variable.hasPrefix("OTEL_")
    }

    @Test(arguments: ["dev", "prod"])
    func theOverlayAgreesWithTheCode(overlay: String) async throws {
        try await onOwnThread {
            let documents = try Manifests.kustomize("deploy/k8s/overlays/\(overlay)")
            let deployment = try #require(documents.first { $0.kind == "Deployment" && $0.name == "fxrates" })
            let pod = try #require(deployment["spec", "template", "spec"])
            let container = try #require(pod.list("containers").first { $0.string("name") == "fxrates" })
            let environment = try Manifests.environment(of: container, in: documents)
            let unknown = environment.keys.filter { !Self.isKnown($0) }.sorted()
            #expect(unknown.isEmpty, "\(overlay): variables no code reads: \(unknown)")
            let settings = try Settings(environment: environment)

            let ports = Dictionary(container.list("ports").map { ($0.string("name") ?? "", $0.int("containerPort")) },
                                   uniquingKeysWith: { first, _ in first })
            #expect(ports["http"] == settings.port)
            #expect(ports["metrics"] == settings.metricsPort, "\(overlay): FX_METRICS_PORT and the metrics port differ")
            for (probe, endpoint) in [("startupProbe", Endpoint.health), ("livenessProbe", .health), ("readinessProbe", .ready)] {
                let get = try #require(container[probe, "httpGet"], "\(overlay): \(probe) is not an HTTP GET")
                #expect(get.string("path") == endpoint.path, "\(overlay): \(probe) path")
                #expect(get.string("port") == "http" || get.int("port") == settings.port, "\(overlay): \(probe) port")
            }

            let preStop = container["lifecycle", "preStop", "sleep"]?.int("seconds") ?? 0
            let grace = try #require(pod.int("terminationGracePeriodSeconds"))
            #expect(grace >= preStop + settings.drainSeconds + Self.longestRequestSeconds,
                    "\(overlay): grace \(grace) s < preStop \(preStop) s + drain \(settings.drainSeconds) s + longest request")

            for job in documents where job.kind == "Job" {
                let spec = try #require(job["spec", "template", "spec"])
                for step in spec.list("initContainers") + spec.list("containers") {
                    let unknown = try Manifests.environment(of: step, in: documents).keys.filter { !Self.isKnown($0) }
                    #expect(unknown.isEmpty, "\(overlay): Job \(job.name) sets unknown variables \(unknown.sorted())")
                }
            }
            let service = try #require(documents.first { $0.kind == "Service" && $0.name == "fxrates" })
            #expect(service.list("spec", "ports").map { $0.string("targetPort") } == ["http"], "the Service exposes the API only")
        }
    }

    @Test func theSecretExampleHoldsOnlySettings() async throws {
        try await onOwnThread {
            let secret = try #require(try Manifests.yaml(file: "deploy/k8s/base/secret.example.yaml").first)
            let keys = Set((secret["stringData"] ?? secret["data"])?.keys ?? [])
            #expect(keys == ["DATABASE_URL", "REDIS_URL", "FX_ADMIN_TOKEN", "FX_REDIS_SENTINEL_PASSWORD"])
            #expect(keys.allSatisfy(Self.isKnown))
        }
    }

    @Test func composeAgreesWithTheCode() async throws {
        try await onOwnThread {
            let compose = try #require(try Manifests.yaml(file: "docker-compose.yml").first)
            let services = try #require(compose["services"])
            let replicas = services.keys.compactMap { services[$0] }.filter { ($0.string("image") ?? "").split(separator: "/").last?.hasPrefix("fxrates:") == true }
            #expect(replicas.count >= 4, "three replicas and the migrate service run the fxrates image")
            for service in replicas {
                let environment = Manifests.composeEnvironment(service)
                let unknown = environment.keys.filter { !Self.isKnown($0) }.sorted()
                #expect(unknown.isEmpty, "compose sets variables no code reads: \(unknown)")
                #expect(throws: Never.self) { try Settings(environment: environment) }
            }
        }
    }

    @Test func theREADMEDocumentsEverySetting() async throws {
        try await onOwnThread {
            let readme = try String(contentsOf: Manifests.root.appendingPathComponent("README.md"), encoding: .utf8)
            let section = try #require(readme.components(separatedBy: "\n## Configuration\n").dropFirst().first)
            let documented = section.components(separatedBy: "\n## ").first?.split(separator: "\n")
                .filter { $0.hasPrefix("| `") }
                .compactMap { $0.dropFirst(3).split(separator: "`").first.map(String.init) } ?? []
            #expect(documented.sorted() == Settings.variables.sorted())
        }
    }
}

/// Rendered YAML as JSON-like values, through `kubectl kustomize` and PyYAML (from `deploy/tools/install.sh`).
enum Manifests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../..").standardized

    static func kustomize(_ directory: String) throws -> [Node] {
        try yaml(try run("kubectl", ["kustomize", root.appendingPathComponent(directory).path]))
    }

    static func yaml(file: String) throws -> [Node] {
        try yaml(try Data(contentsOf: root.appendingPathComponent(file)))
    }

    static func yaml(_ text: Data) throws -> [Node] {
        let json = try run(root.appendingPathComponent(".venv-deploy/bin/python").path, [
            "-c", "import json, sys, yaml; json.dump([d for d in yaml.safe_load_all(sys.stdin) if d], sys.stdout)",
        ], input: text)
        return (try JSONSerialization.jsonObject(with: json) as? [Any] ?? []).compactMap(Node.init)
    }

    /// What a container's environment holds: its `env` and every ConfigMap and Secret of its `envFrom`.
    static func environment(of container: Node, in documents: [Node]) throws -> [String: String] {
        var environment: [String: String] = [:]
        for source in container.list("envFrom") {
            for (kind, reference) in [("ConfigMap", "configMapRef"), ("Secret", "secretRef")] {
                guard let name = source[reference]?.string("name") else { continue }
                // The Secret of prod is created out of band; only dev generates one.
                guard let object = documents.first(where: { $0.kind == kind && $0.name == name }) else { continue }
                for (key, value) in object["data"]?.strings ?? [:] {
                    environment[key] = kind == "Secret"
                        ? Data(base64Encoded: value, options: .ignoreUnknownCharacters).map { String(decoding: $0, as: UTF8.self) } ?? value : value
                }
                for (key, value) in object["stringData"]?.strings ?? [:] { environment[key] = value }
            }
        }
        for variable in container.list("env") {
            environment[variable.string("name") ?? ""] = variable.string("value") ?? ""
        }
        return environment
    }

    /// A compose service's `environment`, as a map or as `NAME=value` lines.
    static func composeEnvironment(_ service: Node) -> [String: String] {
        if let map = service["environment"] { return map.strings }
        var environment: [String: String] = [:]
        for case let line as String in service.value["environment"] as? [Any] ?? [] {
            let parts = line.split(separator: "=", maxSplits: 1)
            environment[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        return environment
    }

    private static func run(_ executable: String, _ arguments: [String], input: Data? = nil) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : "/usr/bin/env")
        process.arguments = executable.hasPrefix("/") ? arguments : [executable] + arguments
        let output = Pipe()
        let stdin = Pipe()
        process.standardOutput = output
        process.standardInput = stdin
        try process.run()
        stdin.fileHandleForWriting.write(input ?? Data())
        try stdin.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CommandFailed(command: executable, status: process.terminationStatus) }
        return data
    }

    struct CommandFailed: Error, CustomStringConvertible {
        let command: String
        let status: Int32
        var description: String { "\(command) exited with \(status) (run deploy/tools/install.sh for .venv-deploy)" }
    }
}

/// One JSON object of a manifest, with the lookups the checks need.
struct Node {
    let value: [String: Any]

    init?(_ any: Any) {
        guard let value = any as? [String: Any] else { return nil }
        self.value = value
    }

    subscript(_ path: String...) -> Node? {
        var node: Node? = self
        for key in path { node = node?.value[key].flatMap(Node.init) }
        return node
    }

    var keys: [String] { Array(value.keys) }
    var kind: String { string("kind") ?? "" }
    var name: String { self["metadata"]?.string("name") ?? "" }
    /// Scalar values as text, as the environment sees them.
    var strings: [String: String] { value.compactMapValues { $0 as? String ?? ($0 as? NSNumber)?.stringValue } }

    func string(_ key: String) -> String? { value[key] as? String }
    func int(_ key: String) -> Int? { value[key] as? Int }

    func list(_ path: String...) -> [Node] {
        let parent = path.dropLast().isEmpty ? self : path.dropLast().reduce(Optional(self)) { $0?[$1] }
        return (parent?.value[path.last ?? ""] as? [Any] ?? []).compactMap(Node.init)
    }
}
