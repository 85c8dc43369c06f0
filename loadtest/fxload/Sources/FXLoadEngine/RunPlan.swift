import FXLoadCore
import NIOCore

/// What every worker shares: the schedule, the mix rendered to bytes, and the limits. Immutable and Sendable.
public struct RunPlan: Sendable {
    public let address: SocketAddress
    public let schedule: ArrivalSchedule
    public let mix: Mix
    public let requests: RenderedMix
    public let workers: Int
    public let connectionsPerWorker: Int
    public let maxInFlightPerWorker: Int
    public let timeoutNanos: Int64
    /// The run's start (the warm-up's first intended send) on NIO's uptime clock.
    public let startUptimeNanos: Int64
    public let measuredSeconds: Int
    /// Wake-ups are rounded up to this grid (see ArrivalSchedule.wakeOffset).
    public let tickNanos: Int64

    public init(
        address: SocketAddress, schedule: ArrivalSchedule, mix: Mix, authority: String, workers: Int,
        connectionsPerWorker: Int, maxInFlightPerWorker: Int, timeoutNanos: Int64, startUptimeNanos: Int64,
        measuredSeconds: Int, tickNanos: Int64
    ) {
        self.address = address
        self.schedule = schedule
        self.mix = mix
        requests = RenderedMix(mix: mix, authority: authority)
        self.workers = workers
        self.connectionsPerWorker = connectionsPerWorker
        self.maxInFlightPerWorker = maxInFlightPerWorker
        self.timeoutNanos = timeoutNanos
        self.startUptimeNanos = startUptimeNanos
        self.measuredSeconds = measuredSeconds
        self.tickNanos = tickNanos
    }
}

/// The bytes of each template's request heads, built once: a request is then three or four copies.
public struct RenderedMix: Sendable {
    /// Per template, per path: the request line, Host, User-Agent and the template's own headers.
    let heads: [[[UInt8]]]
    /// Per template, per key: the `X-API-Key` line.
    let keyLines: [[[UInt8]]]

    public init(mix: Mix, authority: String) {
        heads = mix.templates.map { template in
            let headers = template.headers.map { "\($0.name): \($0.value)\r\n" }.joined()
            return template.paths.map { path in
                Array("GET \(path) HTTP/1.1\r\nHost: \(authority)\r\nUser-Agent: fxload\r\n\(headers)".utf8)
            }
        }
        keyLines = mix.templates.map { template in template.apiKeys.map { Array("X-API-Key: \($0)\r\n".utf8) } }
    }

    func write(_ plan: RequestPlan, into buffer: inout ByteBuffer) {
        buffer.writeBytes(heads[plan.template][plan.path])
        if let key = plan.apiKey { buffer.writeBytes(keyLines[plan.template][key]) }
        if let address = plan.forwardedFor {
            buffer.writeString("X-Forwarded-For: ")
            buffer.writeString(dottedQuad(address))
            buffer.writeString("\r\n")
        }
        buffer.writeString("\r\n")
    }
}
