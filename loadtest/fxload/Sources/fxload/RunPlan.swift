import FXLoadCore
import NIOCore

/// What every worker shares: the schedule, the mix rendered to bytes, and the limits. Immutable and Sendable.
struct RunPlan: Sendable {
    let address: SocketAddress
    let schedule: ArrivalSchedule
    let mix: Mix
    let requests: RenderedMix
    let workers: Int
    let connectionsPerWorker: Int
    let maxInFlightPerWorker: Int
    let timeoutNanos: Int64
    /// The run's start (the warm-up's first intended send) on NIO's uptime clock.
    let startUptimeNanos: Int64
    let measuredSeconds: Int
    /// Wake-ups are rounded up to this grid (see ArrivalSchedule.wakeOffset).
    let tickNanos: Int64
}

/// The bytes of each template's request heads, built once: a request is then three or four copies.
struct RenderedMix: Sendable {
    /// Per template, per path: the request line, Host, User-Agent and the template's own headers.
    let heads: [[[UInt8]]]
    /// Per template, per key: the `X-API-Key` line.
    let keyLines: [[[UInt8]]]

    init(mix: Mix, authority: String) {
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
