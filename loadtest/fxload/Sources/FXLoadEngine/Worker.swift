import FXLoadCore
import NIOCore
import NIOPosix

/// One event loop's share of the run: the requests with `index % workers == worker`, its own connections,
/// queue and statistics. Everything here runs on that loop, so nothing is locked; the run merges the
/// workers' statistics at the end.
final class Worker {
    struct Pending {
        let index: Int
        let template: Int
        let intendedUptime: Int64
        /// The measured second it belongs to, or nil during the warm-up.
        let second: Int?
    }

    let eventLoop: any EventLoop
    let plan: RunPlan
    let worker: Int
    private(set) var stats: RunStats
    private var queue = CircularBuffer<Pending>()
    private var available: [Connection] = []
    private var connections: [Connection] = []
    private var busy = 0
    private var nextIndex: Int
    private var outstanding = 0
    private var finished = false
    private var sweep: Scheduled<Void>?
    private let done: EventLoopPromise<RunStats>
    let bootstrap: ClientBootstrap

    init(eventLoop: any EventLoop, plan: RunPlan, worker: Int) {
        self.eventLoop = eventLoop
        self.plan = plan
        self.worker = worker
        stats = RunStats(templates: plan.mix.templates.count, seconds: plan.measuredSeconds)
        nextIndex = worker
        done = eventLoop.makePromise()
        bootstrap = ClientBootstrap(group: eventLoop)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .connectTimeout(.nanoseconds(plan.timeoutNanos))
    }

    /// Opens the connections, then sends on schedule; succeeds when every request of this worker has ended.
    func run() -> EventLoopFuture<RunStats> {
        for _ in 0..<plan.connectionsPerWorker {
            let connection = Connection(worker: self)
            connections.append(connection)
            connection.open()
        }
        scheduleWake()
        scheduleSweep()
        return done.futureResult
    }

    /// Every twentieth of the timeout (1 to 50 ms), requests on the wire past their deadline time out.
    private func scheduleSweep() {
        let interval = TimeAmount.nanoseconds(max(1_000_000, min(plan.timeoutNanos / 20, 50_000_000)))
        sweep = eventLoop.assumeIsolated().scheduleTask(in: interval) { [self] in
            let at = now
            for connection in connections { connection.expire(atUptime: at) }
            if !finished { scheduleSweep() }
        }
    }

    var now: Int64 { Int64(NIODeadline.now().uptimeNanoseconds) }

    private func scheduleWake() {
        guard nextIndex < plan.schedule.totalCount else { return finishIfDone() }
        let due = plan.startUptimeNanos + plan.schedule.wakeOffset(of: nextIndex, tickNanos: plan.tickNanos)
        eventLoop.assumeIsolated().scheduleTask(deadline: .uptimeNanoseconds(UInt64(max(0, due)))) { [self] in wake() }
    }

    /// Issues every request due by now (more than one when the loop woke late), then sleeps until the next.
    private func wake() {
        let elapsed = now - plan.startUptimeNanos
        for index in plan.schedule.dueIndexes(from: nextIndex, workers: plan.workers, atElapsed: elapsed) {
            issue(index)
            nextIndex = index + plan.workers
        }
        pump()
        scheduleWake()
    }

    private func issue(_ index: Int) {
        let request = Pending(
            index: index, template: plan.mix.plan(for: index).template,
            intendedUptime: plan.startUptimeNanos + plan.schedule.offset(of: index),
            second: plan.schedule.measuredSecond(of: index))
        if let second = request.second { stats.countScheduled(template: request.template, second: second) }
        outstanding += 1
        if queue.count + busy >= plan.maxInFlightPerWorker {
            end(request, with: .dropped)
            return
        }
        queue.append(request)
    }

    /// Hands queued requests to free connections; requests already past their timeout end as timeouts.
    func pump() {
        while !queue.isEmpty, let connection = available.popLast() {
            let request = queue.removeFirst()
            if now >= request.intendedUptime + plan.timeoutNanos {
                available.append(connection)
                end(request, with: .timeout)
                continue
            }
            busy += 1
            connection.send(request)
        }
    }

    func connectionAvailable(_ connection: Connection) {
        available.append(connection)
    }

    func connectionFinishedRequest(_ connection: Connection) {
        busy -= 1
    }

    func sent(_ request: Pending) {
        if let second = request.second { stats.countSent(template: request.template, second: second) }
    }

    func end(_ request: Pending, status: Int, sentUptime: Int64) {
        let at = now
        if let second = request.second {
            let template = plan.mix.templates[request.template]
            stats.recordResponse(
                template: request.template, second: second, status: status,
                expected: template.expectedStatuses.contains(status), correctedNanos: at - request.intendedUptime,
                uncorrectedNanos: at - sentUptime, atMeasuredNanos: measured(at))
        }
        ended()
    }

    func end(_ request: Pending, with kind: ErrorKind) {
        if let second = request.second {
            stats.recordError(kind, template: request.template, second: second, atMeasuredNanos: measured(now))
        }
        ended()
    }

    private func measured(_ uptime: Int64) -> Int64 { uptime - plan.startUptimeNanos - plan.schedule.warmupNanos }

    private func ended() {
        outstanding -= 1
        finishIfDone()
    }

    private func finishIfDone() {
        guard nextIndex >= plan.schedule.totalCount, outstanding == 0, !finished else { return }
        finished = true
        sweep?.cancel()
        let closes = connections.map { $0.close() }
        EventLoopFuture.andAllComplete(closes, on: eventLoop).assumeIsolated().whenComplete { [self] _ in done.succeed(stats) }
    }
}
