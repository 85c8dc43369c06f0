import Hummingbird
import NIOCore

/// The request context of every fxrates route: Hummingbird's core storage plus the request id and the caller.
public struct FXRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// From `X-Request-ID` when the client sent a usable one, generated otherwise.
    public var requestID: String = ""
    /// When the request arrived, before any middleware ran (the API key lookup included).
    public let receivedAt = ContinuousClock.now
    /// Who is calling, settled from the API key on routes whose policy asks for one; `.anonymous` elsewhere.
    public var caller: Caller = .anonymous
    private let channel: any Channel

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }

    /// The TCP peer's IP address; nil where there is no socket (router tests). Read on demand, from the
    /// socket address's bytes (never through text): only limits per client address need it.
    public var peer: ClientAddress? {
        channel.remoteAddress.flatMap(ClientAddress.init(socketAddress:))
    }
}
