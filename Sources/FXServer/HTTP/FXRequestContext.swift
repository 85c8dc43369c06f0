import Hummingbird

/// The request context of every fxrates route: Hummingbird's core storage plus the request id.
public struct FXRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// From `X-Request-ID` when the client sent a usable one, generated otherwise.
    public var requestID: String = ""

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
    }
}
