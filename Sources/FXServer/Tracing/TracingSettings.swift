/// The OpenTelemetry variables `fxrates serve` checks itself, so that a typo stops startup (exit 2) instead
/// of silently exporting nothing: swift-otel reads them too, and only warns about a value it cannot parse.
///
/// Tracing is on if and only if an OTLP endpoint is set and `OTEL_SDK_DISABLED` is not `true`.
public struct TracingSettings: Sendable, Equatable {
    /// The samplers of the OpenTelemetry specification that swift-otel implements.
    public static let samplers = ["always_on", "always_off", "traceidratio", "parentbased_always_on",
                                  "parentbased_always_off", "parentbased_traceidratio"]
    /// The propagators swift-otel implements: it stops the process (`fatalError`) at startup on any other
    /// the specification names, `baggage` (in the specification's default `tracecontext,baggage`) and `b3`
    /// among them.
    public static let propagators = ["tracecontext", "none"]

    /// `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (used as is) or `OTEL_EXPORTER_OTLP_ENDPOINT` (`/v1/traces` appended).
    public var endpoint: String
    public var sampler: String?
    public var samplerArgument: Double?
    public var serviceName: String?
    public var resourceAttributes: String?

    /// Reads the variables, in the order `Settings.variables` lists them; nil when tracing is off.
    static func read(_ reader: EnvironmentReader) throws(SettingsError) -> TracingSettings? {
        let disabled = try reader.value("OTEL_SDK_DISABLED", expected: "true or false", default: false) { text in
            ["true": true, "false": false][text.lowercased()]
        }
        let shared = try reader.optionalText("OTEL_EXPORTER_OTLP_ENDPOINT", expected: "an http:// or https:// URL",
                                             isValid: isEndpoint)
        let traces = try reader.optionalText("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
                                             expected: "an http:// or https:// URL", isValid: isEndpoint)
        let sampler = try reader.optionalText("OTEL_TRACES_SAMPLER", expected: "one of \(samplers.joined(separator: ", "))") {
            samplers.contains($0)
        }
        let samplerArgument = try reader.value("OTEL_TRACES_SAMPLER_ARG", expected: "a number from 0 to 1",
                                               default: Double?.none) { text -> Double?? in
            guard let ratio = Double(text), (0...1).contains(ratio) else { return nil }
            return ratio
        }
        let serviceName = try reader.optionalText("OTEL_SERVICE_NAME", expected: "a name without control characters") {
            !$0.unicodeScalars.contains { $0.properties.generalCategory == .control }
        }
        let resourceAttributes = try reader.optionalText(
            "OTEL_RESOURCE_ATTRIBUTES", expected: "comma-separated key=value pairs such as deployment.environment.name=prod"
        ) { text in
            text.split(separator: ",").allSatisfy { pair in
                pair.split(separator: "=", maxSplits: 1).count == 2 && !pair.hasPrefix("=")
            }
        }
        _ = try reader.optionalText("OTEL_PROPAGATORS",
                                    expected: "a comma-separated list of \(propagators.joined(separator: " or "))") {
            $0.split(separator: ",", omittingEmptySubsequences: false).allSatisfy { propagators.contains(String($0)) }
        }
        guard !disabled, let endpoint = traces ?? shared else { return nil }
        return TracingSettings(endpoint: endpoint, sampler: sampler, samplerArgument: samplerArgument,
                               serviceName: serviceName, resourceAttributes: resourceAttributes)
    }

    /// swift-otel requires the scheme; a URL without a host would fail only at the first export.
    private static func isEndpoint(_ text: String) -> Bool {
        guard let scheme = text.split(separator: ":", maxSplits: 1).first,
              ["http", "https"].contains(scheme.lowercased()), text.dropFirst(scheme.count).hasPrefix("://")
        else { return false }
        let rest = text.dropFirst(scheme.count + 3)
        return !rest.isEmpty && !rest.hasPrefix("/") && !text.contains(where: \.isWhitespace)
    }
}
