import Foundation

/// Runs loadtest/plot-latency.py on the JSON report. The wrapper (loadtest/fxload/run) exports where the
/// script and a Python with matplotlib are; without them, the default paths relative to the repository.
/// Whether the PNG was drawn; a failure is reported on stderr and does not fail the run.
func drawPlot(json: String, png: String) -> Bool {
    let environment = ProcessInfo.processInfo.environment
    let script = environment["FXLOAD_PLOT_SCRIPT"] ?? "loadtest/plot-latency.py"
    let venv = ".venv/bin/python3"
    let python = environment["FXLOAD_PYTHON"] ?? (FileManager.default.isExecutableFile(atPath: venv) ? venv : "python3")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [python, script, json, png]
    do {
        try process.run()
    } catch {
        log("fxload: cannot run \(python) \(script): \(error)")
        return false
    }
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        log("fxload: the plot failed (\(python) \(script) exited \(process.terminationStatus)); the JSON is in \(json)")
        return false
    }
    return true
}
