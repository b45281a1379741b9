import MockHTTP

/// The scenario rules: pick the rule (counted under the request's test), note it for the journal,
/// wait its delay, and either answer a fault here or hand the resolved reply to the endpoint through
/// ``RequestContext/scenarioReply``. Under `--strict`, a generating route no rule answers gets
/// `scenario_not_matched` naming the nearest rule; the others (models, files, jobs) answer from state.
/// Rules also answer requests no route takes, so a recording of an API the mock does not serve replays.
struct ScenarioStep: PipelineStep {
    func applies(to kind: RouteKind, batchLine: Bool) -> Bool { kind != .admin }

    func respond(_ ctx: RequestContext, next: NextStep) async throws(OpenAIError) -> HTTPResponse {
        let store = ctx.state.scenarios
        if store.isInert { return try await next(ctx) }
        // The facts of a Responses request include its earlier turns, which can be long to load.
        if ctx.request.path == "/v1/responses" { await ctx.leaveEventLoop() }
        let facts = RequestFacts(ctx, canonical: store.set.usesCanonicalBody)
        switch store.select(facts, requestHash: ctx.requestHash, testID: ctx.testID) {
        case .rule(let rule, let step):
            ctx.matchedRule = rule.location.fileLine
            ctx.scriptedDelay = step.delay
            if let delay = step.delay, !ctx.batchLine { try? await Task.sleep(for: delay) }
            if step.dropConnection { return ScenarioFaults.dropped }
            if let recorded = step.recorded { return recorded.response(speed: ctx.state.configuration.replaySpeed) }
            if let fault = step.fault {
                throw ScenarioFaults.error(fault, message: fault.message?.render(facts))
            }
            var h = StableHash(ctx.requestHash)
            h.combine(rule.location.fileLine)
            ctx.scenarioReply = ScenarioReply(step, facts: facts, idSeed: h.finalized)
        case .chaos(let value):
            ctx.matchedRule = "--chaos"
            return ScenarioFaults.builtInChaos(value)
        case .none(let nearest):
            if store.strict && ctx.kind == .generating {
                throw ScenarioFaults.strictError(method: ctx.request.method, path: ctx.request.path, nearest: nearest)
            }
        }
        return try await next(ctx)
    }
}
