/// What ``FineTuningService`` needs of a fine-tune of either API to run it on the clock and record
/// its outcome: when it ends, what it trains on, and what it leaves behind.
protocol FineTuneJob: StoreRecord {
    var resultFileID: String? { get set }
    var organizationID: String { get }
    var baseModel: String { get }
    /// When the job ends (succeeds or fails), if it still will.
    var endMs: Int64? { get }
    /// When it succeeds, if it will.
    var successMs: Int64? { get }
    var recipe: TrainingRecipe { get }
    var outcomeModelName: String { get }
    var outcomeResultFileID: String { get }
    var checkpointSteps: [Int] { get }
    static var resultsFilename: String { get }
    func resultsFile(_ run: TrainingRun) -> [UInt8]
}

extension FineTuningJobRecord: FineTuneJob {
    var endMs: Int64? { JobTimeline(self).endMs }
    var successMs: Int64? { JobTimeline(self).successMs }
    var recipe: TrainingRecipe {
        TrainingRecipe(jobID: id, trainingBlob: trainingBlob, validationBlob: validationBlob, epochs: method.epochs,
                       batchSize: method.batchSize, seed: JobTimeline.seed(self), parentModel: parentModel, classification: nil)
    }
    var outcomeModelName: String { FineTuningService.modelName(self) }
    var outcomeResultFileID: String { FineTuningService.resultFileID(self) }
    var checkpointSteps: [Int] { JobTimeline(self).plan.checkpointSteps }
    static var resultsFilename: String { "step_metrics.csv" }
    func resultsFile(_ run: TrainingRun) -> [UInt8] { ResultsCSV.current(run) }
}

extension LegacyFineTuneRecord: FineTuneJob {
    var endMs: Int64? { LegacyTimeline(self).endMs }
    var successMs: Int64? { LegacyTimeline(self).successMs }
    var recipe: TrainingRecipe {
        let h = hyperparams
        let classification = h.computeClassificationMetrics
            ? ClassificationOptions(positiveClass: h.classificationPositiveClass, nClasses: h.classificationNClasses,
                                    betas: h.classificationBetas ?? [])
            : nil
        return TrainingRecipe(jobID: id, trainingBlob: trainingBlob, validationBlob: validationBlob, epochs: h.epochs,
                              batchSize: h.batchSize, seed: LegacyTimeline(self).seed, parentModel: parentModel,
                              classification: classification)
    }
    var outcomeModelName: String { LegacyTimeline(self).modelName }
    var outcomeResultFileID: String { LegacyTimeline(self).resultFileID }
    var checkpointSteps: [Int] { [] }
    static var resultsFilename: String { "compiled_results.csv" }
    func resultsFile(_ run: TrainingRun) -> [UInt8] { ResultsCSV.legacy(run, classification: recipe.classification) }
}
