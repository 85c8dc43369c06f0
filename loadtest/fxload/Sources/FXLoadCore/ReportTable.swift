import Foundation

extension Report {
    /// The table printed on stdout.
    public var table: String {
        var lines: [String] = []
        let s = settings
        lines.append(
            "fxload \(s.url)  rate \(fmt(s.rate))/s for \(fmt(s.durationSeconds)) s (warm-up \(fmt(s.warmupSeconds)) s), "
                + "\(s.connections) connections on \(s.threads) thread(s), timeout \(fmt(s.timeoutSeconds)) s")
        lines.append(
            String(
                format: "achieved %.1f req/s (%.2f%% of target) over %.2f s; scheduled %d, sent %d, responses %d",
                achievedRate, achievedRatio * 100, elapsedSeconds, total.scheduled, total.sent, total.responses))
        lines.append("")
        lines.append(row("latency ms", ["p50", "p90", "p99", "p99.9", "max"]))
        for (name, figures) in [("corrected", total.corrected), ("uncorrected", total.uncorrected)] {
            lines.append(row(name, [figures.p50, figures.p90, figures.p99, figures.p999, figures.max].map(ms)))
        }
        lines.append("")
        let classes = ["2xx", "304", "4xx", "429", "5xx", "other"].compactMap { name in
            total.statusClasses[name].map { "\(name) \($0)" }
        }
        lines.append("statuses  " + (classes.isEmpty ? "none" : classes.joined(separator: ", ")))
        let codes = total.statuses.sorted { Int($0.key) ?? 0 < Int($1.key) ?? 0 }.map { "\($0.key): \($0.value)" }
        if !codes.isEmpty { lines.append("  by code  " + codes.joined(separator: ", ")) }
        let errors = total.errors.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        lines.append(
            String(format: "errors    %d (ratio %.5f)", total.errorCount, total.errorRatio)
                + (errors.isEmpty ? "" : ": " + errors.joined(separator: ", ")))
        if templates.count > 1 {
            lines.append("")
            lines.append(row("template", ["sent", "p50", "p99", "max", "errors"], nameWidth: 28))
            for template in templates {
                let outcomes = template.outcomes
                lines.append(
                    row(
                        template.name,
                        [String(outcomes.sent), ms(outcomes.corrected.p50), ms(outcomes.corrected.p99),
                         ms(outcomes.corrected.max), String(outcomes.errorCount)], nameWidth: 28))
            }
        }
        lines.append("")
        lines.append(
            String(
                format: "fxload CPU: user %.2f s + sys %.2f s over %.2f s = %.1f%% of one core, %.1f µs per request",
                cpu.userSeconds, cpu.systemSeconds, cpu.wallSeconds, cpu.percentOfOneCore, cpu.microsPerRequest))
        for window in faultWindows {
            lines.append("fault window \(fmt(window.startS))–\(fmt(window.endS)) s: \(window.label)")
        }
        for threshold in thresholds { lines.append(threshold.description) }
        return lines.joined(separator: "\n")
    }

    private func row(_ name: String, _ cells: [String], nameWidth: Int = 12) -> String {
        name.padding(toLength: max(nameWidth, name.count), withPad: " ", startingAt: 0)
            + cells.map { String(repeating: " ", count: max(0, 10 - $0.count)) + $0 }.joined()
    }

    private func ms(_ value: Double) -> String { String(format: "%.2f", value) }
    private func fmt(_ value: Double) -> String { formatFigure(value) }
}
