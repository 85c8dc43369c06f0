import FXCore
import FXStorage

/// What a sync did.
public enum ECBSyncResult: Sendable, Equatable {
    /// The server answered 304 to the stored validators: nothing was fetched or written.
    case notModified(file: String)
    /// The feed was imported: `summary.changedRows` is 0 when it held nothing new (a TARGET holiday, when
    /// the ECB serves the last working day's rates again).
    case imported(file: String, summary: ECBImportSummary, days: ClosedRange<Day>)

    /// The feed's file name (`eurofxref-daily.xml`), for the result line.
    public var file: String {
        switch self {
        case .notModified(let file), .imported(let file, _, _): file
        }
    }
}
