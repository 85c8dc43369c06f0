/// The control API's JSON bodies, in the shape and key order loadtest/faults/ctl has always printed.
public enum StatusJSON {
    public struct ProxyStatus: Sendable, Equatable {
        public let spec: ProxySpec
        public let fault: Fault
        public let listening: Bool
        public let open: Int
        public let accepted: Int
        public let refused: Int

        public init(spec: ProxySpec, fault: Fault, listening: Bool, open: Int, accepted: Int, refused: Int) {
            self.spec = spec
            self.fault = fault
            self.listening = listening
            self.open = open
            self.accepted = accepted
            self.refused = refused
        }
    }

    public static func fault(_ fault: Fault) -> String {
        switch fault {
        case .none, .down, .blackhole, .resetPeer:
            "{\"kind\": \"\(fault.name)\"}"
        case .latency(let millis, let jitter):
            "{\"kind\": \"latency\", \"ms\": \(millis), \"jitter\": \(jitter)}"
        case .slowClose(let millis):
            "{\"kind\": \"slow-close\", \"ms\": \(millis)}"
        case .bandwidth(let kib):
            "{\"kind\": \"bandwidth\", \"kbps\": \(kib)}"
        }
    }

    /// The answer to `/NAME/FAULT`: the proxy's fault now.
    public static func applied(proxy: String, fault: Fault) -> String {
        "{\"\(proxy)\": \(Self.fault(fault))}\n"
    }

    public static func status(_ proxies: [ProxyStatus]) -> String {
        let entries = proxies.map { proxy in
            "\"\(proxy.spec.name)\": {\"listen\": \(proxy.spec.listenPort), \"upstream\": \(proxy.spec.upstreamPort), "
                + "\"fault\": \(fault(proxy.fault)), \"listening\": \(proxy.listening), \"open\": \(proxy.open), "
                + "\"accepted\": \(proxy.accepted), \"refused\": \(proxy.refused)}"
        }
        return "{" + entries.joined(separator: ", ") + "}\n"
    }

    /// Messages are built from fixed text and bounded, checked input; quotes and backslashes are escaped anyway.
    public static func error(_ message: String) -> String {
        var escaped = ""
        for character in message.unicodeScalars {
            switch character {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case _ where character.value < 0x20: escaped += " "
            default: escaped.unicodeScalars.append(character)
            }
        }
        return "{\"error\": \"\(escaped)\"}\n"
    }
}
