import DialogModel
import DialogRuntime
import Foundation

/// The shipped bot's understanding of requests it was not trained on (`Tests/Understanding/held-out.yaml`),
/// and what learning its utterances adds to loading it.
enum UnderstandingBenchmark {
    static let bot = "Dialogs"
    static let paraphrases = "Tests/Understanding/held-out.yaml"
    /// The moment the set's relative dates were written against.
    static let moment = Date(timeIntervalSince1970: 1_772_442_000)  // 2026-03-02T09:00:00Z

    static func run(into results: inout BenchResults) throws {
        let loaded = try BotLoader.load(directory: bot).bot
        let set = try ParaphraseSet(contentsOf: paraphrases)
        // Preparing the bot trains the classifier and builds the extractors: the median of a few.
        var times: [Double] = []
        var prepared = PreparedBot(loaded)
        for _ in 0..<7 {
            let started = ContinuousClock.now
            prepared = PreparedBot(loaded)
            let elapsed = ContinuousClock.now - started
            times.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
        }
        let evaluation = UnderstandingEvaluation(
            bot: prepared, examples: set, now: moment, timeZone: TimeZone(identifier: "UTC") ?? .gmt)
        results.record(
            "understanding.intent_accuracy", evaluation.taskAccuracy, unit: "share",
            target: ">= 0.95 (\(evaluation.tasksRight) of \(evaluation.examples) held-out requests)")
        results.record(
            "understanding.entity_accuracy", evaluation.entityAccuracy, unit: "share",
            target: ">= 0.90 (\(evaluation.entityValuesRight) of \(evaluation.entityValues) values)")
        results.record(
            "understanding.destructive_false_starts", Double(evaluation.destructiveFalseStarts), unit: "requests",
            target: "0")
        results.record("understanding.load_ms", percentile(times.sorted(), 0.5), unit: "ms", target: "< 50 (12 tasks)")
    }
}
