import HTTPTypes
import Hummingbird
import NIOCore
import WritCore

/// The per-request context of Writ's routes: Hummingbird's core context plus who is
/// calling and the request's id.
public struct WritRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connection, so a route can close it after refusing an oversized body.
    let channel: any Channel
    /// The `X-Request-ID` the caller sent, or one the server made; set by the
    /// request-id middleware and echoed on the response.
    public internal(set) var requestID: String?
    /// The API key the request authenticated with; nil when authentication is off, or
    /// not required and none was presented.
    public internal(set) var caller: APIKeyRecord?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = CoreRequestContextStorage(source: source)
        self.channel = source.channel
    }

    /// The author recorded for changes this request makes: the key's name, or
    /// `anonymous` when the request carried no key.
    var author: String { caller?.name ?? "anonymous" }
}
