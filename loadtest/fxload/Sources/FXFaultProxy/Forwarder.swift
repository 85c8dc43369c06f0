import FXFaultCore
import NIOCore

/// One direction of a proxied connection, from a source side to a sink side. With no fault that touches it
/// and nothing held, a chunk is written on as soon as it is read and flushed at the end of the read; else
/// it joins a queue of held chunks that a timer delivers when due (latency), paced (bandwidth) or not at all
/// (blackhole). The queue is bounded: past `maxHeldBytes` the source is not read, so TCP pushes back.
final class Forwarder {
    enum Held {
        case data(ByteBuffer, dueNanos: UInt64)
        /// The source's close, passed on to the sink: a half close (shutdown of its output) after a clean
        /// EOF, a full close when the source is gone.
        case end(dueNanos: UInt64)
    }

    static let maxHeldBytes = 1 << 20

    let direction: Direction
    private unowned let connection: ProxyConnection
    var source: SideHandler?
    var sink: SideHandler?
    private var held = CircularBuffer<Held>()
    private(set) var heldBytes = 0
    private var schedule = HoldSchedule()
    private var pacer = BandwidthPacer()
    private var timer: Scheduled<Void>?
    private var timerDueNanos: UInt64 = 0
    private var needsFlush = false
    /// The source's close is queued (no more data comes).
    private(set) var ended = false
    /// The sink goes for good when the end is delivered, not just its output.
    private var closesSinkFully = false
    /// The end is delivered, or the sink is gone: nothing more is written.
    private(set) var finished = false

    init(direction: Direction, connection: ProxyConnection) {
        self.direction = direction
        self.connection = connection
    }

    var mayRead: Bool {
        guard let sink, !ended, !finished, !connection.fault.stopsForwarding else { return false }
        return heldBytes < Self.maxHeldBytes && sink.isWritable
    }

    func received(_ buffer: ByteBuffer) {
        guard !finished, let sink else { return }
        let fault = connection.fault
        if held.isEmpty, fault.forwardsAtOnce(direction) {
            sink.write(buffer)
            needsFlush = true
            return
        }
        let due = schedule.due(nowNanos: Self.now(), holdNanos: fault.holdNanos(direction, unit: Double.random(in: -1...1)))
        held.append(.data(buffer, dueNanos: due))
        heldBytes += buffer.readableBytes
        deliver()
    }

    func readComplete() {
        guard needsFlush else { return }
        needsFlush = false
        sink?.flush()
    }

    /// The source closed (`full`: it is gone, so the sink goes too); slow-close holds this back.
    func end(full: Bool) {
        closesSinkFully = closesSinkFully || full
        if finished {
            if full, let channel = sink?.channel { channel.close(promise: nil) }
            return
        }
        guard !ended else { return }
        ended = true
        held.append(.end(dueNanos: schedule.due(nowNanos: Self.now(), holdNanos: connection.fault.closeDelayNanos)))
        deliver()
    }

    /// The sink is gone: what is held for it is dropped.
    func sinkGone() {
        finished = true
        sink = nil
        held.removeAll()
        heldBytes = 0
        timer?.cancel()
        timer = nil
    }

    /// Writes every held item that is due, as far as the sink takes it; arms the timer for the next.
    func deliver() {
        guard !finished, let sink, !connection.fault.stopsForwarding else { return }
        let now = Self.now()
        var wrote = false
        defer {
            if wrote { sink.flush() }
            source?.resumeReading()
        }
        while let head = held.first, sink.isWritable {
            switch head {
            case .data(var buffer, let due):
                guard due <= now else { return arm(due) }
                guard let rate = connection.fault.bytesPerSecond else {
                    held.removeFirst()
                    heldBytes -= buffer.readableBytes
                    sink.write(buffer)
                    wrote = true
                    continue
                }
                switch pacer.step(available: buffer.readableBytes, bytesPerSecond: rate, nowNanos: now) {
                case .wait(let until):
                    return arm(until)
                case .write(let bytes):
                    guard let slice = buffer.readSlice(length: bytes) else { return }
                    heldBytes -= bytes
                    if buffer.readableBytes == 0 {
                        held.removeFirst()
                    } else {
                        held[held.startIndex] = .data(buffer, dueNanos: due)
                    }
                    sink.write(slice)
                    wrote = true
                }
            case .end(let due):
                guard due <= now else { return arm(due) }
                held.removeFirst()
                finish(sink)
                return
            }
        }
    }

    private func finish(_ sink: SideHandler) {
        finished = true
        guard let channel = sink.channel else { return }
        channel.flush()
        if closesSinkFully {
            channel.close(promise: nil)
            return
        }
        channel.close(mode: .output).assumeIsolated().whenComplete { [connection] result in
            if case .failure = result { channel.close(promise: nil) }
            connection.directionFinished()
        }
    }

    private func arm(_ dueNanos: UInt64) {
        if timer != nil, timerDueNanos <= dueNanos { return }
        timer?.cancel()
        guard let eventLoop = sink?.channel?.eventLoop else { return }
        timerDueNanos = dueNanos
        timer = eventLoop.assumeIsolated().scheduleTask(deadline: NIODeadline.uptimeNanoseconds(dueNanos)) { [self] in
            timer = nil
            deliver()
        }
    }

    static func now() -> UInt64 { NIODeadline.now().uptimeNanoseconds }
}
