/// A batch as the store keeps it: what was asked (input file, endpoint, window, metadata, output
/// expiry), what validating the input found (errors, or each line's outcome — lines are answered
/// when the batch is created, their results revealed as virtual time passes), whether the client
/// cancelled it, and the files its end created. Everything a client observes — status, timestamps,
/// counts — is derived from this and the clock (see ``BatchTimeline``).
package struct BatchRecord: StoreRecord, Equatable {
    package static let kind = "batch"

    package var id: String
    package var sequence: Int
    package var createdMs: Int64
    package var endpoint: String
    package var inputFileID: String
    package var completionWindow: String
    package var metadata: JSONValue
    /// `output_expires_after.seconds`: the output and error files expire this long after they are made.
    package var outputExpiresAfter: Int?
    package var model: String?
    /// Why the input is invalid (the batch fails when validated); empty for a valid input.
    var errors: [BatchLineError]
    /// Each input line's answer, in input order (empty when the batch fails).
    var outcomes: [BatchLineOutcome]
    /// Every line's output line (JSONL, input order), kept until the batch's files are made.
    package var answersBlob: String?
    /// When the client asked to cancel.
    package var cancelledMs: Int64?
    /// Set when the batch's end was recorded (its files made, when it had any).
    package var finished = false
    package var outputFileID: String?
    package var errorFileID: String?

    package var blobs: [String] { answersBlob.map { [$0] } ?? [] }

    init(id: String, sequence: Int, createdMs: Int64, endpoint: String, inputFileID: String, completionWindow: String,
         metadata: JSONValue, outputExpiresAfter: Int?, model: String?, errors: [BatchLineError],
         outcomes: [BatchLineOutcome], answersBlob: String?) {
        self.id = id
        self.sequence = sequence
        self.createdMs = createdMs
        self.endpoint = endpoint
        self.inputFileID = inputFileID
        self.completionWindow = completionWindow
        self.metadata = metadata
        self.outputExpiresAfter = outputExpiresAfter
        self.model = model
        self.errors = errors
        self.outcomes = outcomes
        self.answersBlob = answersBlob
    }

    package var stored: JSONValue {
        var o = JSONObject([
            ("id", .string(id)), ("seq", .int(sequence)), ("created_ms", .int(Int(createdMs))),
            ("endpoint", .string(endpoint)), ("input_file", .string(inputFileID)),
            ("completion_window", .string(completionWindow)), ("metadata", metadata),
            ("errors", .array(errors.map(\.json))), ("outcomes", .array(outcomes.map(\.stored))),
            ("finished", .bool(finished)),
        ])
        if let outputExpiresAfter { o.append("output_expires_after", .int(outputExpiresAfter)) }
        if let model { o.append("model", .string(model)) }
        if let answersBlob { o.append("answers_blob", .string(answersBlob)) }
        if let cancelledMs { o.append("cancelled_ms", .int(Int(cancelledMs))) }
        if let outputFileID { o.append("output_file", .string(outputFileID)) }
        if let errorFileID { o.append("error_file", .string(errorFileID)) }
        return .object(o)
    }

    package init(stored v: JSONValue) throws(StoreDecodingError) {
        id = try v.string("id")
        sequence = try v.int("seq")
        createdMs = Int64(try v.int("created_ms"))
        endpoint = try v.string("endpoint")
        inputFileID = try v.string("input_file")
        completionWindow = try v.string("completion_window")
        metadata = v["metadata"] ?? .null
        var errors: [BatchLineError] = []
        for e in v["errors"]?.arrayValue ?? [] { errors.append(try BatchLineError(stored: e)) }
        self.errors = errors
        var outcomes: [BatchLineOutcome] = []
        for o in v["outcomes"]?.arrayValue ?? [] { outcomes.append(try BatchLineOutcome(stored: o)) }
        self.outcomes = outcomes
        finished = v["finished"]?.boolValue ?? false
        outputExpiresAfter = v.optionalInt("output_expires_after")
        model = v.optionalString("model")
        answersBlob = v.optionalString("answers_blob")
        cancelledMs = v.optionalInt("cancelled_ms").map(Int64.init)
        outputFileID = v.optionalString("output_file")
        errorFileID = v.optionalString("error_file")
    }
}

/// How one line was answered: its status and the tokens its answer used.
struct BatchLineOutcome: Sendable, Equatable {
    var status: Int
    var usage: BatchUsage
    /// Virtual time the line takes beyond the usual (a scenario rule's delay).
    var delayMs: Int64 = 0

    var succeeded: Bool { (200..<300).contains(status) }

    var stored: JSONValue {
        .array([.int(status), .int(usage.input), .int(usage.cached), .int(usage.output), .int(usage.reasoning), .int(Int(delayMs))])
    }

    init(status: Int, usage: BatchUsage, delayMs: Int64 = 0) {
        self.status = status
        self.usage = usage
        self.delayMs = delayMs
    }

    init(stored v: JSONValue) throws(StoreDecodingError) {
        let n = (v.arrayValue ?? []).compactMap(\.intValue)
        guard n.count == 5 || n.count == 6 else { throw StoreDecodingError("invalid batch line outcome") }
        status = n[0]
        usage = BatchUsage(input: n[1], cached: n[2], output: n[3], reasoning: n[4])
        delayMs = n.count == 6 ? Int64(max(0, n[5])) : 0
    }
}

/// Token totals as the batch object's `usage` shows them.
struct BatchUsage: Sendable, Equatable {
    var input = 0
    var cached = 0
    var output = 0
    var reasoning = 0

    /// The usage an answer body reports (chat and completions: prompt/completion tokens; embeddings:
    /// prompt tokens); zero for a body without one.
    init(answer body: JSONValue?) {
        let usage = body?["usage"]
        input = usage?["prompt_tokens"]?.intValue ?? usage?["input_tokens"]?.intValue ?? 0
        output = usage?["completion_tokens"]?.intValue ?? usage?["output_tokens"]?.intValue ?? 0
        cached = usage?["prompt_tokens_details"]?["cached_tokens"]?.intValue ?? 0
        reasoning = usage?["completion_tokens_details"]?["reasoning_tokens"]?.intValue ?? 0
    }

    init() {}

    init(input: Int, cached: Int, output: Int, reasoning: Int) {
        self.input = input
        self.cached = cached
        self.output = output
        self.reasoning = reasoning
    }

    static func + (a: BatchUsage, b: BatchUsage) -> BatchUsage {
        BatchUsage(input: a.input + b.input, cached: a.cached + b.cached, output: a.output + b.output,
                   reasoning: a.reasoning + b.reasoning)
    }

    var json: JSONValue {
        .object(JSONObject([
            ("input_tokens", .int(input)), ("input_tokens_details", .object(JSONObject([("cached_tokens", .int(cached))]))),
            ("output_tokens", .int(output)),
            ("output_tokens_details", .object(JSONObject([("reasoning_tokens", .int(reasoning))]))),
            ("total_tokens", .int(input + output)),
        ]))
    }
}
