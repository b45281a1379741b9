/// What a client sees of a job at one moment: the job object, its events and its checkpoints.
extension JobTimeline {
    var modelName: String { FineTuningService.modelName(record) }

    /// The `fine_tuning.job` object at virtual time `now` (ms), in the real API's field order.
    func json(now: Int64) -> JSONValue {
        let status = status(at: now)
        // Hyperparameters show what was asked until training starts, the values used from then on.
        let started = !plan.failed && (absolute(plan.startedAt).map { $0 <= now } ?? false)
        let succeeded = status == .succeeded
        let estimate: JSONValue
        if [.validatingFiles, .queued, .running].contains(status), let end = successMs {
            estimate = .int(Int(end.floorDivided(by: 1000)))
        } else {
            estimate = .null
        }
        let error: JSONValue = status == .failed ? record.failure.map { f in
            .object(JSONObject([("code", .string(f.code)), ("message", .string(f.message)),
                                ("param", f.param.map(JSONValue.string) ?? .null)]))
        } ?? .null : .null
        return .object(JSONObject([
            ("object", "fine_tuning.job"),
            ("id", .string(record.id)),
            ("model", .string(record.model)),
            ("created_at", .int(Int(record.createdMs.floorDivided(by: 1000)))),
            ("finished_at", succeeded ? .int(Int((successMs ?? now).floorDivided(by: 1000))) : .null),
            ("fine_tuned_model", succeeded ? .string(modelName) : .null),
            ("organization_id", .string(record.organizationID)),
            ("result_files", .array(succeeded ? [.string(record.resultFileID ?? FineTuningService.resultFileID(record))] : [])),
            ("status", .string(status.rawValue)),
            ("validation_file", record.validationFile.map(JSONValue.string) ?? .null),
            ("training_file", .string(record.trainingFile)),
            ("hyperparameters", record.method.hyperparametersJSON(resolved: started)),
            ("trained_tokens", succeeded ? .int(record.tokensPerEpoch * record.method.epochs) : .null),
            ("error", error),
            ("user_provided_suffix", record.suffix.map(JSONValue.string) ?? .null),
            ("seed", .int(record.seed)),
            ("estimated_finish", estimate),
            ("integrations", record.integrations),
            ("metadata", record.metadata),
            ("method", record.method.json(resolved: started)),
        ]))
    }

    // MARK: Events

    /// `ftevent-` + 16 characters of hash + the event's code in 8 base-62 digits: stable, and an
    /// `after` cursor can be found without searching.
    func eventID(code: Int) -> String {
        var h = StableHash(JobTimeline.seed(record))
        h.combine("event")
        h.combine(code)
        return "ftevent-" + StableHash.idSuffix(h.finalized, length: 16) + Base62.fixed(code, width: 8)
    }

    /// The code an event id of this job carries (nil for an id of another job or none at all).
    func eventCode(_ id: String) -> Int? {
        guard id.hasPrefix("ftevent-"), id.count == 32, let code = Base62.decode(String(id.suffix(8))),
              eventID(code: code) == id else { return nil }
        return code
    }

    func eventJSON(_ item: JobEventList.Item, list: JobEventList, run: TrainingRun?) -> JSONValue {
        let time = list.time(of: item)
        var fields: [(String, JSONValue)] = [
            ("object", "fine_tuning.job.event"), ("id", .string(eventID(code: item.code))),
            ("created_at", .int(Int(time.floorDivided(by: 1000)))),
        ]
        switch item {
        case .message(let m):
            fields += [("level", .string(m.level)), ("message", .string(m.text)), ("type", "message"), ("data", .object(JSONObject()))]
        case .step(let s):
            let figures = run?.steps[safe: s - 1]
            var message = "Step \(s)/\(plan.totalSteps): training loss=\(ResultsCSV.fixed(figures?.train.loss ?? 0, places: 2))"
            if let v = figures?.validation { message += ", validation loss=\(ResultsCSV.fixed(v.loss, places: 2))" }
            if let f = figures?.fullValidation { message += ", full validation loss=\(ResultsCSV.fixed(f.loss, places: 2))" }
            fields += [("level", "info"), ("message", .string(message)), ("type", "metrics"),
                       ("data", metricsJSON(step: s, figures: figures, withTotal: true))]
        }
        return .object(JSONObject(fields))
    }

    func metricsJSON(step: Int, figures: TrainingStep?, withTotal: Bool) -> JSONValue {
        var data: [(String, JSONValue)] = [("step", .int(step))]
        if let f = figures {
            data += [("train_loss", .double(round5(f.train.loss))),
                     ("train_mean_token_accuracy", .double(round5(f.train.tokenAccuracy)))]
            if let v = f.validation {
                data += [("valid_loss", .double(round5(v.loss))), ("valid_mean_token_accuracy", .double(round5(v.tokenAccuracy)))]
            }
            if let v = f.fullValidation {
                data += [("full_valid_loss", .double(round5(v.loss))),
                         ("full_valid_mean_token_accuracy", .double(round5(v.tokenAccuracy)))]
            }
        }
        if withTotal { data.append(("total_steps", .int(plan.totalSteps))) }
        return .object(JSONObject(data))
    }

    private func round5(_ x: Double) -> Double { (x * 100_000).rounded() / 100_000 }

    // MARK: Checkpoints

    /// Checkpoints made by `now`, oldest first: (step, time).
    func checkpoints(at now: Int64) -> [(step: Int, time: Int64)] {
        plan.checkpointSteps.compactMap { step in
            guard let t = absolute(plan.stepAt(step)), t <= now else { return nil }
            return (step, t)
        }
    }

    func checkpointID(step: Int) -> String {
        var h = StableHash(JobTimeline.seed(record))
        h.combine("checkpoint")
        h.combine(step)
        return "ftckpt_" + StableHash.idSuffix(h.finalized, length: 24)
    }

    func checkpointJSON(step: Int, time: Int64, run: TrainingRun?) -> JSONValue {
        .object(JSONObject([
            ("object", "fine_tuning.job.checkpoint"),
            ("id", .string(checkpointID(step: step))),
            ("created_at", .int(Int(time.floorDivided(by: 1000)))),
            ("fine_tuned_model_checkpoint", .string("\(modelName):ckpt-step-\(step)")),
            ("step_number", .int(step)),
            ("metrics", metricsJSON(step: step, figures: run?.steps[safe: step - 1], withTotal: false)),
            ("fine_tuning_job_id", .string(record.id)),
        ]))
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}

/// Fixed-width base-62 numbers inside ids.
enum Base62 {
    private static let digits = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    static func fixed(_ value: Int, width: Int) -> String {
        var n = max(0, value)
        var out = [UInt8](repeating: digits[0], count: width)
        for i in stride(from: width - 1, through: 0, by: -1) {
            out[i] = digits[n % 62]
            n /= 62
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ text: String) -> Int? {
        var n = 0
        for c in text.utf8 {
            guard let d = digits.firstIndex(of: c), n < Int.max / 62 else { return nil }
            n = n * 62 + d
        }
        return n
    }
}
