import Testing
@testable import OpenAIMock

struct JobTimelineTests {
    private func record(examples: Int = 20, epochs: Int = 3, batch: Int = 2, failure: FineTuningJobRecord.Failure? = nil) -> FineTuningJobRecord {
        let method = FineTuneMethod(kind: .supervised, requested: [("n_epochs", .auto)], epochs: epochs, batchSize: batch,
                                    learningRateMultiplier: 2, beta: nil, grader: nil)
        return FineTuningJobRecord(id: "ftjob-test", sequence: 1, createdMs: 1_000_000, model: "gpt-4o-mini-2024-07-18",
                                   baseModel: "gpt-4o-mini-2024-07-18", parentModel: nil, trainingFile: "file-t",
                                   validationFile: nil, trainingBlob: "file-t", validationBlob: nil, suffix: nil, seed: 42,
                                   method: method, integrations: .null, metadata: .null, organizationID: "org-x",
                                   organizationSlug: "personal", exampleCount: examples, tokensPerEpoch: 1000, failure: failure)
    }

    @Test func thePlanIsAPureFunctionOfTheJob() {
        let a = JobTimeline(record()), b = JobTimeline(record())
        #expect(a.plan == b.plan)
        #expect(a.plan.totalSteps == 30)  // 20 examples × 3 epochs ÷ 2
        #expect(a.plan.checkpointSteps == [10, 20, 30])
        let other = JobTimeline({ var r = record(); r.seed = 43; return r }())
        #expect(other.plan.validatedAt != a.plan.validatedAt || other.plan.startedAt != a.plan.startedAt)

        let t = a.record.createdMs
        #expect(a.status(at: t) == .validatingFiles)
        #expect(a.status(at: t + a.plan.validatedAt) == .queued)
        #expect(a.status(at: t + a.plan.startedAt) == .running)
        #expect(a.status(at: t + a.plan.succeededAt - 1) == .running)
        #expect(a.status(at: t + a.plan.succeededAt) == .succeeded)
        #expect(a.successMs == t + a.plan.succeededAt)
        #expect(a.stepsDone(at: t + a.plan.stepAt(7)) == 7)
    }

    @Test func aFailedValidationEndsTheJob() {
        let failing = JobTimeline(record(failure: .init(code: "invalid_n_examples", message: "too few", param: "training_file")))
        let t = failing.record.createdMs
        #expect(failing.status(at: t + failing.plan.validatedAt - 1) == .validatingFiles)
        #expect(failing.status(at: t + failing.plan.validatedAt + 1_000_000) == .failed)
        #expect(failing.successMs == nil)
        #expect(failing.messages(at: .max, modelName: "m").last?.level == "error")
    }

    @Test func aPauseShiftsTheRestOfTheHistory() {
        var r = record()
        let base = JobTimeline(r)
        let pausedAt = r.createdMs + base.plan.stepAt(5) + 10
        r.pauses = [.init(pausedMs: pausedAt, resumedMs: nil)]
        let paused = JobTimeline(r)
        #expect(paused.status(at: pausedAt + 1_000_000_000) == .paused)
        #expect(paused.successMs == nil)
        #expect(paused.stepsDone(at: pausedAt + 1_000_000_000) == 5)

        r.pauses[0].resumedMs = pausedAt + 60_000
        let resumed = JobTimeline(r)
        #expect(resumed.status(at: pausedAt + 60_000) == .queued)
        #expect(resumed.status(at: pausedAt + 60_000 + JobTimeline.requeueMs) == .running)
        let shift = 60_000 + JobTimeline.requeueMs
        #expect(resumed.successMs == base.successMs.map { $0 + shift })
        #expect(resumed.stepTime(6) == base.stepTime(6) + shift)
        #expect(resumed.stepTime(5) == base.stepTime(5))
        let texts = resumed.messages(at: .max, modelName: "m").map(\.text)
        #expect(texts.contains("Fine-tuning job paused") && texts.contains("Fine-tuning job resumed"))
    }

    @Test func aCancellationCutsTheHistory() {
        var r = record()
        let base = JobTimeline(r)
        r.cancelledMs = r.createdMs + base.plan.stepAt(3)
        let cancelled = JobTimeline(r)
        #expect(cancelled.status(at: .max) == .cancelled)
        #expect(cancelled.stepsDone(at: .max) == 3)
        #expect(cancelled.successMs == nil)
        #expect(cancelled.messages(at: .max, modelName: "m").last?.text == "Fine-tuning job cancelled")
    }

    @Test func eventPositionsAndIdsRoundTrip() {
        let timeline = JobTimeline(record())
        let list = JobEventList(timeline: timeline, now: .max, modelName: "m")
        #expect(list.count == list.messages.count + 30)
        var previous = Int64.min
        for position in 0..<list.count {
            let item = list.item(at: position)
            #expect(list.position(ofCode: item.code) == position)
            #expect(list.time(of: item) >= previous)  // oldest first
            previous = list.time(of: item)
            let id = timeline.eventID(code: item.code)
            #expect(id.count == 32 && timeline.eventCode(id) == item.code)
        }
        #expect(timeline.eventCode("ftevent-AAAAAAAAAAAAAAAA00000001") == nil)  // not this job's
    }

    @Test func autoHyperparametersFollowTheFileSize() {
        #expect(FineTuneMethod.autoEpochs(10) == 10)
        #expect(FineTuneMethod.autoEpochs(100) == 3)
        #expect(FineTuneMethod.autoEpochs(100_000) == 1)
        #expect(FineTuneMethod.autoBatchSize(100) == 1)
        #expect(FineTuneMethod.autoBatchSize(100_000) == 200)
        #expect(FineTuneMethod.autoBatchSize(1_000_000) == 256)
    }
}
