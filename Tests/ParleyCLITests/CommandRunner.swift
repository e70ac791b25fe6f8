import Foundation

/// Runs the built `parley` binary and collects what it prints.
struct CommandResult {
    var status: Int32
    var output: String
}

func runParley(_ arguments: [String], in folder: URL? = nil, environment: [String: String] = [:], input: String? = nil)
    async throws -> CommandResult
{
    var merged = ProcessInfo.processInfo.environment
    merged["NO_COLOR"] = "1"
    for (key, value) in environment { merged[key] = value }
    let result = try await ChildProcess.run(Build.parley, arguments, environment: merged, directory: folder?.path, input: input ?? "")
    return CommandResult(status: result.status, output: result.output)
}

/// Compares text with a golden file under `Snapshots/`; `RECORD_SNAPSHOTS=1` writes it instead.
func matchesSnapshot(_ text: String, named name: String) throws -> Bool {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots/\(name)")
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] != nil {
        try text.write(to: url, atomically: true, encoding: .utf8)
        return true
    }
    return try String(contentsOf: url, encoding: .utf8) == text
}
