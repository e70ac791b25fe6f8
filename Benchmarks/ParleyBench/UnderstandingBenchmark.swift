import BotHost
import DialogModel
import DialogRuntime
import Foundation

/// The shipped bot's understanding of requests it was not trained on (`Tests/Understanding/held-out.yaml`),
/// and what learning its utterances adds to loading it.
enum UnderstandingBenchmark {
    static let bot = "Dialogs"
    static let paraphrases = "Tests/Understanding/held-out.yaml"
    /// Requests written apart from the bot and from the other sets, measured and never read for tuning.
    static let unseen = "Tests/Understanding/held-out-2.yaml"
    /// The moment the set's relative dates were written against.
    static let moment = Date(timeIntervalSince1970: 1_772_442_000)  // 2026-03-02T09:00:00Z

    static func run(into results: inout BenchResults) throws {
        let loaded = try BotLoader.load(directory: bot).bot
        let set = try ParaphraseSet(contentsOf: paraphrases)
        // Preparing the bot trains the classifier and builds the extractors (the first load after the dialogs
        // change), or reads the model saved by an earlier load back: the median of a few of each.
        let models = ModelFolder(
            folder: FileManager.default.temporaryDirectory.appendingPathComponent("parley-bench-models-\(getpid())"))
        defer { try? FileManager.default.removeItem(at: models.folder) }
        var prepared = PreparedBot(loaded)
        let training = median(of: 7) { prepared = PreparedBot(loaded) }
        _ = PreparedBot(loaded, models: models)
        let loading = median(of: 7) { prepared = PreparedBot(loaded, models: models) }
        let utc = TimeZone(identifier: "UTC") ?? .gmt
        record(
            UnderstandingEvaluation(bot: prepared, examples: set, now: moment, timeZone: utc), as: "understanding.",
            set: "held-out.yaml", into: &results)
        record(
            UnderstandingEvaluation(
                bot: prepared, examples: try ParaphraseSet(contentsOf: unseen), now: moment, timeZone: utc),
            as: "understanding.unseen_", set: "held-out-2.yaml", into: &results)
        let times = readingTimes(prepared, set, timeZone: utc)
        results.record("understanding.read_p50_us", percentile(times, 0.50), unit: "µs")
        results.record(
            "understanding.read_p99_us", percentile(times, 0.99), unit: "µs",
            target: "< 1000 (a first request: task and entities, \(set.examples.count) requests × \(readingRounds))")
        results.record(
            "understanding.load_ms", loading, unit: "ms", target: "< 50 (12 tasks, model saved by an earlier load)")
        results.record("understanding.train_ms", training, unit: "ms", target: "(first load after the utterances change)")
    }

    /// Task and entity accuracy and destructive false starts on one set, each metric's name after `prefix`.
    private static func record(
        _ evaluation: UnderstandingEvaluation, as prefix: String, set: String, into results: inout BenchResults
    ) {
        results.record(
            prefix + "intent_accuracy", evaluation.taskAccuracy, unit: "share",
            target: ">= 0.95 (\(evaluation.tasksRight) of \(evaluation.examples) in \(set))")
        results.record(
            prefix + "entity_accuracy", evaluation.entityAccuracy, unit: "share",
            target: ">= 0.90 (\(evaluation.entityValuesRight) of \(evaluation.entityValues) values)")
        results.record(
            prefix + "destructive_false_starts", Double(evaluation.destructiveFalseStarts), unit: "requests", target: "0")
    }

    static let readingRounds = 20

    /// How long reading each request of the set as a first request takes (the task it asks for and the entities
    /// it fills), every request read ``readingRounds`` times, sorted, in µs.
    private static func readingTimes(_ prepared: PreparedBot, _ set: ParaphraseSet, timeZone: TimeZone) -> [Double] {
        var times: [Double] = []
        times.reserveCapacity(set.examples.count * readingRounds)
        for _ in 0..<readingRounds {
            for example in set.examples {
                let started = ContinuousClock.now
                _ = prepared.read(example.text, now: moment, timeZone: timeZone)
                times.append(EngineBenchmark.microseconds(ContinuousClock.now - started))
            }
        }
        return times.sorted()
    }

    /// The median time of `runs` runs of `body`, in milliseconds.
    private static func median(of runs: Int, _ body: () -> Void) -> Double {
        var times: [Double] = []
        for _ in 0..<runs {
            let started = ContinuousClock.now
            body()
            let elapsed = ContinuousClock.now - started
            times.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
        }
        return percentile(times.sorted(), 0.5)
    }
}
