import Foundation
import NIOCore
import NIOPosix

/// A short reason for a failed connection, for the one line a failed sync prints: NIO's own descriptions
/// ("connection reset (error set): Connection refused) (errno: 111)") are written for its developers.
enum TransportFailure {
    static func reason(_ error: any Error) -> String {
        switch error {
        case let error as IOError:
            return String(cString: strerror(error.errnoCode)).lowercased()
        case let error as NIOConnectionError:
            if error.dnsAError != nil && error.dnsAAAAError != nil { return "cannot resolve \(error.host)" }
            let reasons = Set(error.connectionErrors.map { reason($0.error) })
            return "cannot connect to \(error.host):\(error.port)"
                + (reasons.isEmpty ? "" : " (\(reasons.sorted().joined(separator: ", ")))")
        default:
            return "\(error)"
        }
    }
}
