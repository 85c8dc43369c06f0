#if canImport(Glibc)
import CMalloc
#endif
import Foundation
import NIOCore
import NIOPosix

/// Where whole-history reloads run: one thread of their own, at a lower scheduling priority than the
/// threads that serve requests.
///
/// A reload parses some 220,000 rates. On the cooperative pool (two threads on a two-core machine) it
/// would hold one of the threads that run request handlers for its whole duration; here it only takes
/// CPU the request threads leave over, so an import reaching every replica does not show in their
/// latency. The thread lives as long as the process, like SwiftNIO's own singletons.
enum ReloadThread {
    /// Runs `body` with the reload thread as its task executor: its synchronous stretches (parsing) run
    /// there, and its waits on PostgreSQL or Redis hold no thread at all.
    static func run<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await withTaskExecutorPreference(executor) {
            defer { returnFreedMemory() }
            return try await body()
        }
    }

    /// A reload replaces megabytes of history, and builds it in growing steps; what the allocator keeps of
    /// the old one and of the steps is handed back to the kernel, so RSS does not ratchet up with reloads.
    private static func returnFreedMemory() {
        #if canImport(Glibc)
        _ = malloc_trim(0)
        #endif
    }

    /// The thread, as an event loop group: the Redis connection that carries the history's copy (megabytes
    /// per reload) runs on it too, so that reading and parsing the copy's reply never holds up the event
    /// loops that serve requests.
    static let eventLoopGroup: MultiThreadedEventLoopGroup = {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        group.next().execute {
            // Nice 19: the kernel gives the request threads (nice 0) the CPU whenever they want it, and a
            // reload what is left, which on a saturated replica makes it slower, not the requests. On Linux,
            // PRIO_PROCESS with 0 sets the calling thread's priority alone.
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19)
        }
        return group
    }()

    private static let executor = EventLoopTaskExecutor(eventLoopGroup.next())
}

/// Runs a task's jobs on one NIO event loop.
final class EventLoopTaskExecutor: TaskExecutor {
    private let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
