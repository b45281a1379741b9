import MockHTTP

/// The rest of the pipeline after a step: the next steps, then the endpoint.
public typealias NextStep = @Sendable (RequestContext) async throws(OpenAIError) -> HTTPResponse

/// One step of the request pipeline (auth, test isolation, scenarios, journal, log, headers…).
///
/// A step sees the request on the way in, calls `next` (or answers itself, e.g. a 401 or a
/// scripted fault), and sees the response on the way out. Which requests it applies to is
/// declared once, by route kind and batch line, not tested per request.
public protocol PipelineStep: Sendable {
    /// Whether the step is in the chain of requests to routes of `kind` (`batchLine`: a line of a
    /// batch's input file, answered without a socket).
    func applies(to kind: RouteKind, batchLine: Bool) -> Bool
    func respond(_ ctx: RequestContext, next: NextStep) async throws(OpenAIError) -> HTTPResponse
}

extension RouteKind {
    static let laneCount = allCases.count
}

/// The steps in order, outermost first, composed once per (route kind, batch line) into a chain
/// of closures that ends in the route's endpoint; a request only selects its chain. Nothing is
/// allocated or looked up per step per request.
public struct Pipeline: Sendable {
    public let steps: [any PipelineStep]
    private let chains: [NextStep]

    public init(steps: [any PipelineStep]) {
        self.steps = steps
        var chains: [NextStep] = []
        for batchLine in [false, true] {
            for kind in RouteKind.allCases {  // in rawValue order
                var next: NextStep = { ctx throws(OpenAIError) in try await ctx.endpoint(ctx) }
                for step in steps.reversed() where step.applies(to: kind, batchLine: batchLine) {
                    let inner = next
                    next = { ctx throws(OpenAIError) in try await step.respond(ctx, next: inner) }
                }
                chains.append(next)
            }
        }
        self.chains = chains
    }

    /// The chain for the context's kind.
    func chain(for ctx: RequestContext) -> NextStep {
        chains[(ctx.batchLine ? RouteKind.laneCount : 0) + ctx.kind.rawValue]
    }

    /// The standard steps with `forward` (recording) in its place: what every engine runs.
    ///
    /// Outermost first: log, journal and headers see every answer (errors included, rendered by
    /// `errors`); auth, body and isolation prepare the request; forward sends it upstream when
    /// recording; scenarios answer scripted faults or hand a reply to the endpoint.
    static func standard(configuration: MockConfiguration, tests: TestWorlds, forward: (any PipelineStep)?) -> Pipeline {
        var steps: [any PipelineStep] = [
            LogStep(format: configuration.log), JournalStep(), HeadersStep(), ErrorStep(),
            AuthStep(acceptedKeys: configuration.apiKeys), BodyStep(), IsolationStep(tests: tests),
        ]
        if let forward { steps.append(forward) }
        steps.append(ScenarioStep())
        return Pipeline(steps: steps)
    }
}
