import FXServer
import Foundation
import Logging

/// Logging of the commands a person runs (`migrate`, `import`, `keys`): their standard output is their
/// result, so their logs go to standard error, as text on a terminal and as JSON otherwise (a Job, CI, a
/// pipe), where a collector reads them. An explicit `FX_LOG_FORMAT` wins over both. `serve` keeps
/// `bootstrapLogging`. Bootstrapped once per process: bootstrapping twice crashes.
func bootstrapCommandLogging(_ settings: Settings) {
    let format = commandLogFormat(settings, environment: ProcessInfo.processInfo.environment,
                                  standardErrorIsTerminal: isatty(STDERR_FILENO) == 1)
    LoggingSystem.bootstrap { label in
        switch format {
        case .json:
            return JSONLogHandler(label: label, level: settings.logLevel, output: .standardError)
        case .text:
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = settings.logLevel
            return handler
        }
    }
}

func commandLogFormat(_ settings: Settings, environment: [String: String], standardErrorIsTerminal: Bool)
    -> Settings.LogFormat
{
    if environment["FX_LOG_FORMAT"] != nil { return settings.logFormat }
    return standardErrorIsTerminal ? .text : .json
}
