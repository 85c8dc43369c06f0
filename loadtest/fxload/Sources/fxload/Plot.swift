import Foundation

/// Runs loadtest/plot-latency.py on the JSON report. The wrapper (loadtest/fxload/run) exports where the
/// script and a Python with matplotlib are; without them, the default paths relative to the repository.
func drawPlot(json: String, png: String) throws {
    let environment = ProcessInfo.processInfo.environment
    let script = environment["FXLOAD_PLOT_SCRIPT"] ?? "loadtest/plot-latency.py"
    let python = environment["FXLOAD_PYTHON"] ?? "python3"
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [python, script, json, png]
    try process.run()
    process.waitUntilExit()
    if process.terminationStatus != 0 {
        log("fxload: the plot failed (\(python) \(script) exited \(process.terminationStatus)); the JSON is in \(json)")
    }
}
