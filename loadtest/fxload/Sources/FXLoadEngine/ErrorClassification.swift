import FXLoadCore
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The error kind a NIO failure stands for; `connecting` tells a failed connect from a failed exchange.
func errorKind(of error: any Error, connecting: Bool) -> ErrorKind {
    if let error = error as? IOError {
        switch error.errnoCode {
        case ECONNREFUSED: return .connectRefused
        case ECONNRESET, EPIPE: return .reset
        case ETIMEDOUT: return connecting ? .connectTimeout : .timeout
        default: return connecting ? .connectOther : .other
        }
    }
    if let error = error as? NIOConnectionError {
        if let first = error.connectionErrors.first { return errorKind(of: first.error, connecting: true) }
        return .connectOther
    }
    if let error = error as? ChannelError {
        switch error {
        case .connectTimeout: return .connectTimeout
        case .eof, .ioOnClosedChannel, .alreadyClosed, .outputClosed: return connecting ? .connectOther : .closed
        default: break
        }
    }
    return connecting ? .connectOther : .other
}
