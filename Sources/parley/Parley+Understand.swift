import ArgumentParser
import DialogModel
import DialogRuntime
import Foundation
import ParleyJSON
import Understanding

extension Parley {
    /// `parley understand`: what the bot makes of a request, or how well it understands a set of them.
    struct Understand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "understand",
            abstract: "Show what the bot makes of a request, or measure it on a set of paraphrases.",
            discussion: """
                parley understand "get rid of Tom Becker's lead"     the task, its confidence and the entity values
                parley understand --check paraphrases.yaml           task and entity accuracy, and every miss

                A paraphrase set is a YAML list of { say, task, entities } (task: a task's name or none).
                Relative dates are read against --now (default: now).
                """
        )

        @Argument(help: "A request to read.")
        var request: String?

        @Option(help: "A paraphrase set to measure the bot on.")
        var check: String?

        @Option(help: "The moment relative dates are read against, as ISO 8601 (2026-03-02T09:00:00Z).")
        var now: String?

        @Flag(help: "With --check, list every miss; with a request, show the words it was read as.")
        var verbose = false

        @OptionGroup var options: GlobalOptions

        func validate() throws {
            if (request == nil) == (check == nil) { throw ValidationError("Give a request to read, or --check FILE, not both.") }
            if let now, ISO8601DateFormatter().date(from: now) == nil {
                throw ValidationError("--now must be an ISO 8601 moment such as 2026-03-02T09:00:00Z, not '\(now)'.")
            }
        }

        func run() async throws {
            let bot = try options.botToRead()
            let prepared = PreparedBot(bot)
            let moment = now.flatMap { ISO8601DateFormatter().date(from: $0) } ?? Date()
            let timeZone = TimeZone(identifier: "UTC") ?? .gmt
            if let request {
                let reading = prepared.read(request, now: moment, timeZone: timeZone)
                switch reading.match {
                case .matched(let intent, let score):
                    print("task: \(reading.task?.rawValue ?? intent) (\(Self.percent(score)))")
                case .ambiguous(let names):
                    print("question: which of \(names.joined(separator: ", "))?")
                case .none:
                    print("task: none")
                }
                for (name, value) in reading.entities.sorted(by: { $0.key < $1.key }) {
                    print("  \(name): \(value.jsonText())")
                }
                print(
                    "probabilities: "
                        + prepared.probabilities(request).prefix(4).map { "\($0.name) \(Self.percent($0.probability))" }.joined(
                            separator: ", "))
                if verbose { print("read as: " + prepared.tokens(request).joined(separator: " ")) }
                return
            }
            guard let check else { return }
            let set: ParaphraseSet
            do {
                set = try ParaphraseSet(contentsOf: check)
            } catch {
                throw ValidationError("\(error)")
            }
            let evaluation = UnderstandingEvaluation(bot: prepared, examples: set, now: moment, timeZone: timeZone)
            if verbose {
                for miss in evaluation.misses {
                    let got: String
                    switch miss.reading.match {
                    case .matched: got = miss.reading.task?.rawValue ?? "?"
                    case .ambiguous(let names): got = "question (" + names.joined(separator: " / ") + ")"
                    case .none: got = "none"
                    }
                    print("\(miss.example.location): \"\(miss.example.text)\"")
                    print("  expected \(miss.example.task?.rawValue ?? "none"), got \(got)")
                    for name in miss.wrongEntities {
                        let expected = miss.example.entities[name]?.jsonText() ?? "null"
                        let actual = miss.reading.entities[name]?.jsonText() ?? "nothing"
                        print("  \(name): expected \(expected), got \(actual)")
                    }
                }
            }
            print(
                "tasks \(evaluation.tasksRight)/\(evaluation.examples) (\(Self.percent(evaluation.taskAccuracy))), "
                    + "entity values \(evaluation.entityValuesRight)/\(evaluation.entityValues) (\(Self.percent(evaluation.entityAccuracy))), "
                    + "destructive false starts \(evaluation.destructiveFalseStarts)")
        }

        static func percent(_ value: Double) -> String {
            String(format: "%.1f%%", value * 100)
        }
    }
}
