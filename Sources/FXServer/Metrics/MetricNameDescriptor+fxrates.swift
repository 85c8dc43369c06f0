import Prometheus

extension MetricNameDescriptor {
    /// `fxrates_<name>[_<unit>]`, the one namespace of the service's own series.
    static func fxrates(_ name: String, unit: String = "", help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "fxrates", metricName: name, unitName: unit, helpText: help)
    }
}
