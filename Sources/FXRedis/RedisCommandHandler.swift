import Logging
import NIOCore

/// Matches pipelined replies to their commands through a FIFO of promises.
///
/// Writes go out as they arrive and are flushed once per event-loop tick, so many
/// concurrent commands share one connection. A command that times out fails on
/// its own but keeps its FIFO slot, so the late reply is recognised and dropped
/// instead of being handed to the next command. Replies that arrive while no
/// command is pending (pub/sub pushes) are passed down the pipeline. A timeout
/// followed by half a second with no reply at all closes the connection
/// (`SilentConnectionRule`), so that a silent one is replaced rather than kept.
final class RedisCommandHandler: ChannelDuplexHandler {
    typealias InboundIn = RESPValue
    typealias InboundOut = RESPValue
    typealias OutboundIn = RedisCommandRequest
    typealias OutboundOut = ByteBuffer

    private struct PendingCommand {
        /// nil once the command timed out and its reply is to be discarded.
        var promise: EventLoopPromise<RESPValue>?
        let deadline: NIODeadline?
        /// The command's own timeout, which sets how long the connection may then stay silent.
        let timeout: TimeAmount?
    }

    private var pending = CircularBuffer<PendingCommand>(initialCapacity: 64)
    private var isClosed = false
    private var flushScheduled = false
    private var timeoutTimer: Scheduled<Void>?
    private var timeoutTimerDeadline: NIODeadline?
    private var silence: SilentConnectionRule
    /// Asks `silence` for its verdict when its allowance after a timeout ends.
    private var silenceCheck: Scheduled<Void>?
    private let logger: Logger
    private let dropsOnReadOnly: Bool

    /// - Parameter dropsOnReadOnly: close the connection on a `READONLY` error reply, which behind a sentinel
    ///   means the server is a replica now, so that the next connection asks the sentinels again.
    /// - Parameter silenceAllowance: how long after a command timed out the connection may stay silent.
    init(logger: Logger, dropsOnReadOnly: Bool = false,
         silenceAllowance: TimeAmount = SilentConnectionRule.defaultAllowance) {
        self.logger = logger
        self.dropsOnReadOnly = dropsOnReadOnly
        self.silence = SilentConnectionRule(allowance: silenceAllowance)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        if isClosed {
            request.replyPromise?.fail(RedisError.connectionClosed)
            promise?.fail(RedisError.connectionClosed)
            return
        }
        if let replyPromise = request.replyPromise {
            // The loop's clock, which an EmbeddedEventLoop's virtual time drives in tests.
            let deadline = request.timeout.map { context.eventLoop.now + $0 }
            pending.append(PendingCommand(promise: replyPromise, deadline: deadline, timeout: request.timeout))
            if let deadline {
                armTimeoutTimer(context: context, deadline: deadline)
            }
        }
        context.write(wrapOutboundOut(request.encoded), promise: promise)
        scheduleFlush(context: context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // Anything read, a push included, shows the connection still carries traffic.
        silence.replyArrived()
        guard let command = pending.popFirst() else {
            context.fireChannelRead(data)
            return
        }
        guard let promise = command.promise else {
            logger.trace("discarding the late reply of a timed-out Redis command")
            return
        }
        switch unwrapInboundIn(data) {
        case .error(let message) where dropsOnReadOnly && message.hasPrefix("READONLY"):
            promise.fail(RedisError.server(message))
            logger.warning("Redis answered READONLY: the primary was demoted; reconnecting to the new one")
            context.close(promise: nil)
        case .error(let message):
            promise.fail(RedisError.server(message))
        case let value:
            promise.succeed(value)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        logger.warning("closing Redis connection after error", metadata: ["error": "\(error)"])
        failAllPending(with: error as? RedisError ?? RedisError.protocolError("\(error)"))
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAllPending(with: RedisError.connectionClosed)
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        failAllPending(with: RedisError.connectionClosed)
    }

    private func failAllPending(with error: RedisError) {
        isClosed = true
        timeoutTimer?.cancel()
        timeoutTimer = nil
        timeoutTimerDeadline = nil
        silenceCheck?.cancel()
        silenceCheck = nil
        while let command = pending.popFirst() {
            command.promise?.fail(error)
        }
    }

    private func scheduleFlush(context: ChannelHandlerContext) {
        guard !flushScheduled else { return }
        flushScheduled = true
        context.eventLoop.assumeIsolated().execute {
            self.flushScheduled = false
            context.flush()
        }
    }

    /// One timer serves all pending commands: it fires at the earliest deadline,
    /// fails what has expired, and re-arms for the next deadline.
    private func armTimeoutTimer(context: ChannelHandlerContext, deadline: NIODeadline) {
        if let current = timeoutTimerDeadline, current <= deadline {
            return
        }
        timeoutTimer?.cancel()
        timeoutTimerDeadline = deadline
        timeoutTimer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
            self.expireTimedOutCommands(context: context)
        }
    }

    private func expireTimedOutCommands(context: ChannelHandlerContext) {
        timeoutTimer = nil
        timeoutTimerDeadline = nil
        let now = context.eventLoop.now
        var nextDeadline: NIODeadline?
        var expired: [EventLoopPromise<RESPValue>] = []
        var longestExpiredTimeout = TimeAmount.zero
        for index in pending.indices {
            guard let promise = pending[index].promise, let deadline = pending[index].deadline else { continue }
            if deadline <= now {
                pending[index].promise = nil
                expired.append(promise)
                longestExpiredTimeout = max(longestExpiredTimeout, pending[index].timeout ?? .zero)
            } else if nextDeadline.map({ deadline < $0 }) ?? true {
                nextDeadline = deadline
            }
        }
        if let nextDeadline {
            armTimeoutTimer(context: context, deadline: nextDeadline)
        }
        // Failing runs callbacks that may enqueue new commands, so it happens
        // only after the scan over the FIFO is done.
        for promise in expired {
            promise.fail(RedisError.timeout)
        }
        if !expired.isEmpty, !isClosed {
            armSilenceCheck(context: context, deadline: silence.commandTimedOut(at: now, after: longestExpiredTimeout))
        }
    }

    /// At most one check is armed: a reply in the meantime does not cancel it, the verdict then says keep.
    private func armSilenceCheck(context: ChannelHandlerContext, deadline: NIODeadline) {
        guard silenceCheck == nil else { return }
        silenceCheck = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
            self.silenceCheck = nil
            self.checkSilence(context: context)
        }
    }

    private func hasCommandWithinItsTimeout(at now: NIODeadline) -> Bool {
        pending.contains { command in
            command.promise != nil && command.deadline.map { $0 > now } ?? true
        }
    }

    private func checkSilence(context: ChannelHandlerContext) {
        guard !isClosed else { return }
        let now = context.eventLoop.now
        // A command still within its timeout keeps the connection; if it times out too, its expiry arms the
        // check again, which then finds the silence long past.
        switch silence.verdict(at: now, commandsWithinTheirTimeout: hasCommandWithinItsTimeout(at: now)) {
        case .retire:
            let silentFor = silence.silentSince.map { now - $0 } ?? .zero
            logger.warning("closing a Redis connection that answered nothing after a command timed out; reconnecting",
                           metadata: ["redis.silent_ms": "\(silentFor.nanoseconds / 1_000_000)"])
            context.close(promise: nil)
        case .keep:
            // A reply came, and a later timeout may have started a new silence: check again at its end. A silence
            // already past it waits for the commands within their timeout instead (their expiry re-arms).
            if let next = silence.retirementDeadline, next > now { armSilenceCheck(context: context, deadline: next) }
        }
    }
}
