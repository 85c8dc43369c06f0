import ArgumentParser
import Foundation

extension AsyncParsableCommand {
    /// ArgumentParser's entry point, except that a usage error exits 2 (its default is 64), as the other
    /// loadtest scripts do and the chaos scenarios expect.
    public static func mainExitingTwoOnUsageError() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
    }
}
