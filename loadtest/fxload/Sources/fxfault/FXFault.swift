import ArgumentParser
import FXFaultCore
import FXFaultProxy
import LoadtestCommand
import Foundation
import NIOCore
import NIOPosix

@main
struct FXFault: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fxfault",
        abstract: "A TCP fault proxy in the manner of toxiproxy, on 127.0.0.1 only.",
        discussion: """
            Each NAME=LISTEN:UPSTREAM forwards 127.0.0.1:LISTEN to 127.0.0.1:UPSTREAM. A fault is switched at run \
            time over the control port (loadtest/faults/ctl): GET /NAME/FAULT?arg=value, /NAME/clear, /status. \
            Faults, one at a time per proxy: latency ms jitter (replies), down, blackhole, reset-peer, \
            slow-close ms, bandwidth kbps (KiB/s, each direction). SIGTERM or SIGINT closes everything and exits 0.
            """)

    @Option(help: "control port on 127.0.0.1") var control: Int
    @Option(help: "open connections per proxy at most; more are reset") var maxConnections: Int = 1024
    @Argument(help: "NAME=LISTEN:UPSTREAM") var proxies: [String]

    static func main() async {
        await mainExitingTwoOnUsageError()
    }

    mutating func validate() throws {
        guard (1...65_535).contains(control) else { throw ValidationError("--control is a port, 1 to 65535") }
        guard (1...100_000).contains(maxConnections) else { throw ValidationError("--max-connections is 1 to 100000") }
        guard !proxies.isEmpty else { throw ValidationError("give at least one NAME=LISTEN:UPSTREAM") }
        let specs = proxies.compactMap(ProxySpec.init(argument:))
        guard specs.count == proxies.count else {
            throw ValidationError("each proxy is NAME=LISTEN:UPSTREAM (NAME of letters, digits, - and _; ports 1–65535)")
        }
        guard Set(specs.map(\.name)).count == specs.count else { throw ValidationError("proxy names must differ") }
    }

    func run() async throws {
        let specs = proxies.compactMap(ProxySpec.init(argument:))
        // One event loop per proxy: a proxy's state never crosses threads, and each data store gets a core.
        let group = MultiThreadedEventLoopGroup(numberOfThreads: specs.count)
        let signals = SignalWaiter([SIGTERM, SIGINT])
        var started: [FaultProxy] = []
        var controlChannel: (any Channel)?
        do {
            var loops = group.makeIterator()
            for spec in specs {
                guard let loop = loops.next() else { break }
                do {
                    started.append(try await FaultProxy.start(spec, on: loop, maxConnections: maxConnections))
                } catch {
                    throw CannotListen(what: "\(spec.name) on 127.0.0.1:\(spec.listenPort)", error: error)
                }
            }
            do {
                controlChannel = try await ControlServer.start(port: control, proxies: started, on: group.next())
            } catch {
                throw CannotListen(what: "control on 127.0.0.1:\(control)", error: error)
            }
            log("control on 127.0.0.1:\(control), "
                + specs.map { "\($0.name) \($0.listenPort)->\($0.upstreamPort)" }.joined(separator: ", "))
            let signal = await signals.next()
            log("signal \(signal): closing")
        } catch {
            log("\(error)")
        }
        try? await controlChannel?.close()
        for proxy in started { try? await proxy.shutdown() }
        try await group.shutdownGracefully()
        if controlChannel == nil { throw ExitCode(1) }
    }
}

private struct CannotListen: Error, CustomStringConvertible {
    let what: String
    let error: any Error
    var description: String { "cannot listen: \(what): \(error)" }
}
