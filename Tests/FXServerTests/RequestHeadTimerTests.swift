@testable import FXServer
import Testing

/// The header timeout's decisions, event by event, without a clock or a socket.
@Suite("Request head timer")
struct RequestHeadTimerTests {
    @Test func runsFromTheConnectionsStartUntilTheHead() {
        var timer = RequestHeadTimer()
        #expect(timer.connectionOpened() == .startTimer)
        #expect(timer.connectionOpened() == .none, "channelActive after handlerAdded starts nothing more")
        #expect(timer.headReceived() == .cancelTimer)
        #expect(timer.timerFired() == .none)
    }

    @Test func tricklingBytesDoNotRestartIt() {
        var timer = RequestHeadTimer()
        _ = timer.connectionOpened()
        for _ in 0..<100 { #expect(timer.bytesArrived() == .none) }
        #expect(timer.timerFired() == .close)
    }

    @Test func aSlowHandlerIsNotCut() {
        var timer = RequestHeadTimer()
        _ = timer.connectionOpened()
        _ = timer.headReceived()
        #expect(timer.bytesArrived() == .none, "body bytes")
        #expect(timer.timerFired() == .none)
        #expect(timer.state == .answering(requests: 1))
    }

    @Test func anIdleConnectionWaitsWithoutItUntilTheNextRequestStarts() {
        var timer = RequestHeadTimer()
        _ = timer.connectionOpened()
        _ = timer.headReceived()
        #expect(timer.responseFinished() == .none)
        #expect(timer.state == .idle)
        #expect(timer.timerFired() == .none, "the idle timeout's business")
        #expect(timer.bytesArrived() == .startTimer)
        #expect(timer.bytesArrived() == .none)
        #expect(timer.timerFired() == .close)
    }

    @Test func pipelinedRequestsKeepItOffUntilTheLastResponse() {
        var timer = RequestHeadTimer()
        _ = timer.connectionOpened()
        _ = timer.headReceived()
        #expect(timer.headReceived() == .none)
        _ = timer.responseFinished()
        #expect(timer.state == .answering(requests: 1))
        #expect(timer.bytesArrived() == .none)
        _ = timer.responseFinished()
        #expect(timer.state == .idle)
    }

    @Test func aClosedConnectionNeverFires() {
        var timer = RequestHeadTimer()
        _ = timer.connectionOpened()
        #expect(timer.connectionClosed() == .cancelTimer)
        #expect(timer.timerFired() == .none)
        #expect(timer.bytesArrived() == .none)
        #expect(timer.headReceived() == .none)
    }
}
