import Foundation

/// `make bench`: measures Parley's hot paths and writes `.bench/results.json`, a flat JSON object
/// of metric name → number, after printing a table.
@main
struct ParleyBench {
    static func main() async throws {
        var arguments = CommandLine.arguments.dropFirst()
        var outputPath = ".bench/results.json"
        var only: String?
        var serveTimeline: URL?
        while let argument = arguments.popFirst() {
            switch argument {
            case "--output": outputPath = arguments.popFirst() ?? outputPath
            case "--only": only = arguments.popFirst()
            case "--serve-timeline": serveTimeline = arguments.popFirst().map { URL(fileURLWithPath: $0) }
            default:
                let usage =
                    "usage: parley-bench [--output FILE] [--only understanding|engine|script|sandbox|replay|serve]"
                    + " [--serve-timeline FILE]\n"
                FileHandle.standardError.write(Data(usage.utf8))
                exit(2)
            }
        }
        var results = BenchResults()
        if only == nil || only == "understanding" { try UnderstandingBenchmark.run(into: &results) }
        if only == nil || only == "engine" { try await EngineBenchmark.run(into: &results) }
        if only == nil || only == "script" { try await ScriptBenchmark.run(into: &results) }
        if only == nil || only == "sandbox" { try await SandboxBenchmark.run(into: &results) }
        if only == nil || only == "replay" { try await ReplayBenchmark.run(into: &results) }
        if only == nil || only == "serve" { try await ServeBenchmark.run(into: &results, timeline: serveTimeline) }
        print(results.table())
        try results.write(to: URL(fileURLWithPath: outputPath))
        print("wrote \(outputPath)")
    }
}

/// Metrics gathered so far, with their units and targets for the table.
struct BenchResults {
    struct Row {
        var name: String
        var value: Double
        var unit: String
        var target: String
    }

    private(set) var rows: [Row] = []

    mutating func record(_ name: String, _ value: Double, unit: String, target: String = "") {
        rows.append(Row(name: name, value: value, unit: unit, target: target))
    }

    func table() -> String {
        let nameWidth = max(6, rows.map(\.name.count).max() ?? 0)
        var text =
            "metric".padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  " + "value".leftPadded(12) + "  unit       target\n"
        text += String(repeating: "-", count: nameWidth + 40) + "\n"
        for row in rows {
            text +=
                row.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  "
                + String(format: abs(row.value) < 1 ? "%.4f" : "%.1f", row.value).leftPadded(12) + "  "
                + row.unit.padding(toLength: 9, withPad: " ", startingAt: 0) + "  " + row.target + "\n"
        }
        return text
    }

    func write(to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let members = rows.map { "  \"\($0.name)\": \(String(format: "%.3f", $0.value))" }
        try ("{\n" + members.joined(separator: ",\n") + "\n}\n").write(to: url, atomically: true, encoding: .utf8)
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}

/// Percentiles of a sorted sample.
func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    let index = min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))
    return sorted[index]
}
