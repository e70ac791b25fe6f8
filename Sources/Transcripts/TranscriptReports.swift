public import Channels
public import DialogModel
import Foundation
import WebEncoding

/// Machine-readable forms of a run's results, for CI.
public enum TranscriptReports {
    /// TAP version 14: one `ok`/`not ok` line per transcript, failures as YAML diagnostics.
    public static func tap(_ results: [TranscriptResult]) -> String {
        var text = "TAP version 14\n1..\(results.count)\n"
        for (index, result) in results.enumerated() {
            text += "\(result.passed ? "ok" : "not ok") \(index + 1) - \(result.path) # \(result.title)\n"
            guard !result.passed else { continue }
            text += "  ---\n  failures:\n"
            for failure in result.failures {
                text += "    - line: \(failure.line)\n      message: \(yamlQuoted(failure.message))\n"
                if let turn = failure.turnText { text += "      after: \(yamlQuoted("> " + turn))\n" }
                if !failure.expected.isEmpty || !failure.actual.isEmpty {
                    text += "      diff: |\n"
                    text += UnifiedDiff.render(
                        expected: failure.expected, actual: failure.actual, style: TerminalStyle(usesColor: false), indent: "        ")
                }
            }
            text += "  ...\n"
        }
        return text
    }

    /// JUnit XML: one test suite, one test case per transcript, a `<failure>` per failed one with every failure.
    public static func junit(_ results: [TranscriptResult], suiteName: String = "parley transcripts") -> String {
        let failed = results.count { !$0.passed }
        let total = results.reduce(Duration.zero) { $0 + $1.duration }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml += "<testsuites tests=\"\(results.count)\" failures=\"\(failed)\" time=\"\(seconds(total))\">\n"
        xml +=
            "  <testsuite name=\"\(escaped(suiteName))\" tests=\"\(results.count)\" failures=\"\(failed)\" errors=\"0\" time=\"\(seconds(total))\">\n"
        for result in results {
            xml +=
                "    <testcase classname=\"\(escaped(result.path))\" name=\"\(escaped(result.title))\" file=\"\(escaped(result.path))\" time=\"\(seconds(result.duration))\""
            guard !result.passed else {
                xml += "/>\n"
                continue
            }
            xml += ">\n"
            let first = result.failures[0]
            let count = result.failures.count
            xml += "      <failure message=\"\(escaped("\(result.path):\(first.line): \(first.message)"))\" type=\"TranscriptFailure\">"
            xml += escaped(result.report(style: TerminalStyle(usesColor: false)) + (count > 1 ? "\(count) failures\n" : ""))
            xml += "</failure>\n    </testcase>\n"
        }
        xml += "  </testsuite>\n</testsuites>\n"
        return xml
    }

    /// Which nodes and transitions of each bot the transcripts exercised, listing the ones never reached.
    public static func coverage(_ results: [TranscriptResult], bots: [String: Bot], style: TerminalStyle) -> String {
        var text = ""
        for folder in bots.keys.sorted() {
            guard let bot = bots[folder] else { continue }
            let ran = results.filter { $0.botFolder == folder }
            let nodesRun = ran.reduce(into: Set<CoveredNode>()) { $0.formUnion($1.nodesRun) }
            let taken = ran.reduce(into: Set<CoveredTransition>()) { $0.formUnion($1.transitionsTaken) }
            var nodeTotal = 0
            var nodeHit = 0
            var transitionTotal = 0
            var transitionHit = 0
            var missed: [String] = []
            for task in bot.tasks {
                var missedHere: [String] = []
                for node in task.nodes {
                    nodeTotal += 1
                    if nodesRun.contains(CoveredNode(task: task.name, node: node.id)) {
                        nodeHit += 1
                    } else {
                        missedHere.append("node \(node.id)")
                    }
                    for transition in node.transitions {
                        transitionTotal += 1
                        if taken.contains(CoveredTransition(task: task.name, from: node.id, to: transition.target)) {
                            transitionHit += 1
                        } else {
                            missedHere.append(
                                "transition \(node.id) -> \(transition.target) (\(transition.location.file):\(transition.location.line))")
                        }
                    }
                }
                if !missedHere.isEmpty {
                    missed.append("  " + style.bold(task.name.rawValue) + ": never reached")
                    missed += missedHere.map { "    " + $0 }
                }
            }
            text += style.bold("Coverage of \(folder)") + ": nodes \(nodeHit)/\(nodeTotal) (\(percent(nodeHit, nodeTotal))), "
            text += "transitions \(transitionHit)/\(transitionTotal) (\(percent(transitionHit, transitionTotal)))\n"
            text += missed.isEmpty ? "  every node and transition was reached\n" : missed.joined(separator: "\n") + "\n"
        }
        return text
    }

    private static func percent(_ part: Int, _ whole: Int) -> String {
        whole == 0 ? "100%" : "\(Int((Double(part) * 100 / Double(whole)).rounded(.down)))%"
    }

    private static func seconds(_ duration: Duration) -> String {
        String(format: "%.3f", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }

    /// Text for XML content and attribute values: HTML's escapes, without the control characters XML 1.0
    /// forbids even when escaped (the terminal's color codes among them).
    static func escaped(_ text: String) -> String {
        var kept = ""
        kept.unicodeScalars.append(contentsOf: text.unicodeScalars.filter { $0.value >= 0x20 || "\n\t\r".unicodeScalars.contains($0) })
        return HTMLEscaping.escape(kept)
    }

    private static func yamlQuoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
