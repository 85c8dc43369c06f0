import FXLoadCore
import NIOCore
import NIOHTTP1
import NIOPosix

/// One keep-alive HTTP/1.1 connection of a worker, one request at a time (no pipelining, as browsers and
/// proxies do). It connects lazily and again after any failure; a request that times out closes it,
/// because its late response would otherwise answer the next request.
final class Connection {
    // Strong: a late event on a closing channel must never find the worker gone; the process ends with the run.
    private let worker: Worker
    private var channel: (any Channel)?
    private var writer: RequestWriter?
    private var responses: ResponseHandler?
    private var connecting = false
    private var current: Worker.Pending?
    private var sentUptime: Int64 = 0

    init(worker: Worker) {
        self.worker = worker
    }

    /// Connects ahead of the first request; the connection is offered to the queue either way.
    func open() {
        connect()
    }

    func send(_ request: Worker.Pending) {
        current = request
        if channel != nil {
            write()
        } else if !connecting {
            connect()
        }
    }

    func close() -> EventLoopFuture<Void> {
        guard let channel else { return worker.eventLoop.makeSucceededVoidFuture() }
        self.channel = nil
        writer = nil
        responses = nil
        return channel.close().recover { _ in }
    }

    private func connect() {
        connecting = true
        let bound = NIOLoopBound(self, eventLoop: worker.eventLoop)
        worker.bootstrap
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let connection = bound.value
                    let writer = RequestWriter()
                    let responses = ResponseHandler(connection: connection)
                    try channel.pipeline.syncOperations.addHandlers(
                        writer, ByteToMessageHandler(HTTPResponseDecoder(leftOverBytesStrategy: .dropBytes)), responses)
                    connection.writer = writer
                    connection.responses = responses
                }
            }
            .connect(to: worker.plan.address)
            .assumeIsolated()
            .whenComplete { [self] result in
                connecting = false
                switch result {
                case .success(let channel):
                    self.channel = channel
                    if current != nil { write() } else { worker.connectionAvailable(self) }
                case .failure(let error):
                    writer = nil
        responses = nil
                    if current != nil {
                        finish(with: errorKind(of: error, connecting: true))
                    } else {
                        worker.connectionAvailable(self)
                    }
                }
            }
    }

    private func write() {
        guard let request = current, let channel, let writer, let responses else { return }
        var buffer = channel.allocator.buffer(capacity: 512)
        worker.plan.requests.write(worker.plan.mix.plan(for: request.index), into: &buffer)
        sentUptime = worker.now
        worker.sent(request)
        responses.announceRequest()
        writer.write(buffer)
    }

    // MARK: events from the pipeline (same event loop)

    func responseComplete(status: Int, keepAlive: Bool, on channel: any Channel) {
        guard channel === self.channel, let request = current else { return }
        current = nil
        if !keepAlive { _ = close() }
        worker.end(request, status: status, sentUptime: sentUptime)
        release()
    }

    func failed(_ error: any Error, on channel: any Channel) {
        guard channel === self.channel else { return }
        _ = close()
        if current != nil { finish(with: errorKind(of: error, connecting: false)) }
    }

    func closed(_ channel: any Channel) {
        guard channel === self.channel else { return }
        self.channel = nil
        writer = nil
        responses = nil
        if current != nil { finish(with: .closed) }
    }

    /// Called by the worker's sweep: a request past its deadline ends as a timeout. One sweep for all
    /// connections costs less than a timer set and cancelled per request.
    func expire(atUptime now: Int64) {
        guard let request = current, now >= request.intendedUptime + worker.plan.timeoutNanos else { return }
        // The connect (if one is running) finishes on its own, bounded by the bootstrap's connect timeout.
        _ = close()
        finish(with: .timeout)
    }

    private func finish(with kind: ErrorKind) {
        guard let request = current else { return }
        current = nil
        worker.end(request, with: kind)
        release()
    }

    /// Back to the worker's free list, unless a connect is still running (its completion offers it then).
    private func release() {
        worker.connectionFinishedRequest(self)
        if !connecting { worker.connectionAvailable(self) }
        worker.pump()
    }
}
