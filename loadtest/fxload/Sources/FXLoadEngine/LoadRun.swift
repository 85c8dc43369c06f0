import FXLoadCore
import NIOCore
import NIOPosix

/// Runs `plan` on the loops of `group`, one worker per loop (`plan.workers` of them), and merges what they
/// measured once every request has ended.
public func runLoad(_ plan: RunPlan, on group: MultiThreadedEventLoopGroup) async throws -> RunStats {
    var stats = RunStats(templates: plan.mix.templates.count, seconds: plan.measuredSeconds)
    let futures = Array(group.makeIterator()).prefix(plan.workers).enumerated().map { index, loop in
        loop.flatSubmit { Worker(eventLoop: loop, plan: plan, worker: index).run() }
    }
    for future in futures { stats.add(try await future.get()) }
    return stats
}
