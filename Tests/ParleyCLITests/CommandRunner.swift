import Foundation

/// Runs the built `parley` binary and collects what it prints.
struct CommandResult {
    var status: Int32
    var output: String
}

func runParley(_ arguments: [String], in folder: URL? = nil, environment: [String: String] = [:], input: String? = nil) throws
    -> CommandResult
{
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Build.parley)
    process.arguments = arguments
    if let folder { process.currentDirectoryURL = folder }
    var merged = ProcessInfo.processInfo.environment
    merged["NO_COLOR"] = "1"
    for (key, value) in environment { merged[key] = value }
    process.environment = merged
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    let stdin = Pipe()
    process.standardInput = stdin
    try process.run()
    if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
    try stdin.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
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
