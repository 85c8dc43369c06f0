import FXStorage
import Foundation

/// Import progress as one line redrawn in place on stderr, only when stderr is a terminal,
/// so logs and pipes never see it.
enum ImportProgressLine {
    static let isTerminal = isatty(2) == 1

    @Sendable static func report(_ progress: ECBImportProgress) {
        switch progress {
        case .parsed(let values, let dates): draw("read \(values) rates on \(dates) dates")
        case .copied(let done, let total): draw("copying rates: \(done * 100 / max(total, 1))% (\(done)/\(total))")
        case .merging: draw("merging into rates…")
        }
    }

    /// Ends the progress line so that what follows starts on its own line.
    static func finish() {
        if isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    private static func draw(_ text: String) {
        guard isTerminal else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K\(text)".utf8))
    }
}
