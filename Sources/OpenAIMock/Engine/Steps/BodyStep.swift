import MockHTTP

/// A large body (which the HTTP layer streams) read to its end for a route that takes its body
/// whole; the request hash and id are then derived from its bytes, as for a small body.
struct BodyStep: PipelineStep {
    /// The largest JSON body read into memory (a chat request with inline images can be tens of MB).
    static let wholeBodyLimit = 128 << 20

    func applies(to kind: RouteKind, batchLine: Bool) -> Bool { kind != .unrouted }

    func respond(_ ctx: RequestContext, next: NextStep) async throws(OpenAIError) -> HTTPResponse {
        if ctx.bodyKind == .whole, case .stream(let stream) = ctx.request.body {
            ctx.bodyWasRead(try await Self.collect(stream))
        }
        return try await next(ctx)
    }

    /// A streamed body read to its end; its failures as the client's fault (413, 400).
    static func collect(_ stream: HTTPBodyStream, limit: Int = wholeBodyLimit) async throws(OpenAIError) -> [UInt8] {
        do {
            return try await stream.collect(limit: limit)
        } catch {
            throw OpenAIError(bodyStream: error)
        }
    }
}
