import FXTestSupport
import Foundation
import Testing

/// The `fxrates` binary as a person and a script run it: `--version`, examples in every `--help`, one
/// result line on standard output and the logs on standard error (JSON when it is not a terminal).
@Suite("fxrates on the command line")
struct CommandLineTests {
    struct Run {
        let status: Int32
        let standardOutput: String
        let standardError: String
    }

    /// The binary `swift build` put beside this test bundle.
    static let binary: URL = {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let beside = directory.appending(path: "fxrates")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().appending(path: "../../.build/debug/fxrates")
    }()

    /// Runs the binary with `arguments` in an environment of `environment` only (and PATH), its output in files,
    /// so that no pipe fills up.
    static func run(_ arguments: [String], executable: URL = binary, environment: [String: String] = [:]) throws -> Run {
        let launched = try launch(arguments, executable: executable, environment: environment)
        launched.process.waitUntilExit()
        return try launched.finish()
    }

    /// `run` for tests whose binary talks to servers in this process: it waits for the exit without blocking
    /// a thread of the concurrency pool, which those servers' handlers need.
    static func runAwaitingExit(_ arguments: [String], environment: [String: String] = [:]) async throws -> Run {
        let exited = AsyncStream<Void>.makeStream()
        let launched = try launch(arguments, executable: binary, environment: environment) { _ in exited.continuation.finish() }
        for await _ in exited.stream {}
        return try launched.finish()
    }

    private struct Launched {
        let process: Process
        let directory: URL

        func finish() throws -> Run {
            defer { try? FileManager.default.removeItem(at: directory) }
            return Run(status: process.terminationStatus,
                       standardOutput: try String(contentsOf: directory.appending(path: "stdout"), encoding: .utf8),
                       standardError: try String(contentsOf: directory.appending(path: "stderr"), encoding: .utf8))
        }
    }

    private static func launch(
        _ arguments: [String], executable: URL, environment: [String: String],
        onExit: (@Sendable (Process) -> Void)? = nil
    ) throws -> Launched {
        let directory = FileManager.default.temporaryDirectory.appending(path: "fxrates-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let out = directory.appending(path: "stdout"), err = directory.appending(path: "stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment.merging(["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"]) { own, _ in own }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardInput = FileHandle.nullDevice
        process.terminationHandler = onExit
        do {
            try process.run()
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
        return Launched(process: process, directory: directory)
    }

    @Test func versionNamesTheReleaseAndTheCommitOfTheBuild() throws {
        let run = try Self.run(["--version"])
        #expect(run.status == 0)
        let line = run.standardOutput.trimmingCharacters(in: .newlines)
        #expect(line.wholeMatch(of: /fxrates [0-9]+\.[0-9]+\.[0-9]+ \(commit ([0-9a-f]{40}(-dirty)?|unknown)\)/) != nil, "\(line)")
    }

    /// The dynamic linker names every library it maps (`LD_DEBUG=files`): libpq is not among a plain start's,
    /// and is opened once a command needs PostgreSQL.
    @Test func libpqIsOpenedOnlyWhenPostgreSQLIsUsed() throws {
        let plain = try Self.run(["--version"], environment: ["LD_DEBUG": "files"])
        #expect(plain.status == 0)
        #expect(plain.standardError.contains("file=libswiftCore.so"), "LD_DEBUG names the libraries it maps")
        #expect(!plain.standardError.contains("libpq"))

        // The port is out of range: libpq was opened to parse the connection string, which is then refused.
        let database = try Self.run(["migrate"], environment: ["LD_DEBUG": "files",
                                                                "DATABASE_URL": "postgresql://127.0.0.1:99999/none"])
        #expect(database.status == 2)
        #expect(database.standardError.contains("file=libpq.so.5"))
    }

    @Test(arguments: [[], ["serve"], ["migrate"], ["import"], ["import", "ecb"], ["keys"], ["keys", "create"],
                      ["keys", "list"], ["keys", "revoke"], ["healthcheck"], ["sync"], ["sync", "ecb"]])
    func everyHelpGivesAnExample(command: [String]) throws {
        let run = try Self.run(command + ["--help"])
        #expect(run.status == 0)
        #expect(run.standardOutput.contains("Example"), "fxrates \(command.joined(separator: " ")) --help")
        #expect(run.standardOutput.contains("  fxrates ") || run.standardOutput.contains(" fxrates "))
    }

    @Test(.enabled(if: TestDatabase.isConfigured))
    func migrateAndImportPrintOneLineAndLogJSONOnStandardErrorWhenItIsNotATerminal() async throws {
        try await TestDatabase.withFreshDatabase { url in
            let csv = FileManager.default.temporaryDirectory.appending(path: "ecb-\(UUID().uuidString).csv")
            try Data("Date,USD,JPY,\n2026-11-27,1.1172,175.68,\n2026-11-26,1.1100,170.00,\n".utf8).write(to: csv)
            defer { try? FileManager.default.removeItem(at: csv) }

            let migrate = try Self.run(["migrate"], environment: ["DATABASE_URL": url])
            #expect(migrate.status == 0, "\(migrate.standardError)")
            #expect(migrate.standardOutput.wholeMatch(
                of: /applied [0-9]+ migrations? \([0-9, ]+\) in [0-9]+\.[0-9] s; the schema is current\n/) != nil,
                "\(migrate.standardOutput)")
            Self.expectJSONLines(migrate.standardError)

            let imported = try Self.run(["import", "ecb", csv.path], environment: ["DATABASE_URL": url])
            #expect(imported.status == 0, "\(imported.standardError)")
            #expect(imported.standardOutput.wholeMatch(
                of: /imported 4 values on 2 dates, 4 changed, in [0-9]+\.[0-9] s\n/) != nil, "\(imported.standardOutput)")
            Self.expectJSONLines(imported.standardError)
            #expect(imported.standardError.contains(#""msg":"imported the ECB history""#))

            // An explicit FX_LOG_FORMAT wins: text on standard error, the same line on standard output.
            let again = try Self.run(["import", "ecb", csv.path], environment: ["DATABASE_URL": url, "FX_LOG_FORMAT": "text"])
            #expect(again.status == 0)
            #expect(again.standardOutput.hasPrefix("imported 4 values on 2 dates, 0 changed, in "))
            #expect(!again.standardError.isEmpty)
            #expect(!again.standardError.hasPrefix("{"))

            // On a terminal (script(1) gives it one), the logs are text: no line is a JSON object.
            if FileManager.default.isExecutableFile(atPath: "/usr/bin/script") {
                let terminal = try Self.run(["-qec", "'\(Self.binary.path)' import ecb '\(csv.path)'", "/dev/null"],
                                            executable: URL(fileURLWithPath: "/usr/bin/script"),
                                            environment: ["DATABASE_URL": url])
                #expect(terminal.status == 0, "\(terminal.standardOutput)")
                let lines = terminal.standardOutput.split(whereSeparator: \.isNewline)
                #expect(lines.contains { $0.hasPrefix("imported 4 values on 2 dates, 0 changed, in ") }, "\(lines)")
                #expect(lines.contains { $0.contains("imported the ECB history") })
                #expect(!lines.contains { $0.hasPrefix("{") }, "\(lines)")
            }

            // Scripts take the key from standard output alone.
            let created = try Self.run(["keys", "create", "--tenant", "cli-test"], environment: ["DATABASE_URL": url])
            #expect(created.status == 0, "\(created.standardError)")
            #expect(created.standardOutput.wholeMatch(of: /fx_[A-Za-z0-9_\-]+\n/) != nil, "\(created.standardOutput)")
        }
    }

    /// Every line a JSON object: what a log collector reads from a Job.
    static func expectJSONLines(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let lines = text.split(separator: "\n")
        #expect(!lines.isEmpty, sourceLocation: sourceLocation)
        for line in lines {
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object != nil, "not JSON: \(line)", sourceLocation: sourceLocation)
        }
    }
}
