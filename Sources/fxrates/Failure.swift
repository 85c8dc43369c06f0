import ArgumentParser
import Foundation

/// Writes `fxrates: <message>` as one line on stderr and returns the exit code to throw.
func failure(_ message: String, code: Int32 = 1) -> ExitCode {
    FileHandle.standardError.write(Data("fxrates: \(message)\n".utf8))
    return ExitCode(code)
}
