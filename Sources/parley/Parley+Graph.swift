import ArgumentParser
import DialogModel
import Foundation

extension Parley {
    /// `parley graph TASK`: a task's nodes and transitions as Mermaid, DOT or SVG.
    struct Graph: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "graph",
            abstract: "Draw a dialog task's nodes and transitions (Mermaid, DOT, or SVG through Graphviz).",
            discussion: "SVG needs Graphviz's `dot` (Debian: apt-get install graphviz)."
        )

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case mermaid, dot, svg
        }

        @Argument(help: "The task's name, such as CreateLead.")
        var task: String

        @Option(help: "mermaid, dot or svg.")
        var format: Format = .mermaid

        @Option(name: .shortAndLong, help: "Write to this file instead of standard output.")
        var output: String?

        @OptionGroup var options: GlobalOptions

        func validate() throws {
            if let output { try OutputFile.check(output, option: "--output") }
        }

        func run() async throws {
            let bot = try options.botToRead()
            guard let dialogTask = bot.task(named: task) else {
                let names = bot.tasks.map(\.name.rawValue)
                let hint = Suggestion.closest(to: task, among: names).map { " Did you mean '\($0)'?" } ?? ""
                throw ValidationError("No task '\(task)' in \(options.bot).\(hint) The tasks are: \(names.joined(separator: ", ")).")
            }
            let graph = TaskGraph(dialogTask)
            let text: Data
            switch format {
            case .mermaid: text = Data(graph.mermaid.utf8)
            case .dot: text = Data(graph.dot.utf8)
            case .svg: text = try Self.svg(fromDOT: graph.dot)
            }
            if let output {
                do {
                    try text.write(to: URL(fileURLWithPath: output), options: .atomic)
                } catch {
                    throw OutputFileFailure(option: "--output", path: output, error: error)
                }
                print("Wrote \(output).")
            } else {
                FileHandle.standardOutput.write(text)
            }
        }

        /// Runs Graphviz's `dot` on the text.
        static func svg(fromDOT dot: String) throws -> Data {
            guard
                let path = ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":")
                    .map({ String($0) + "/dot" }).first(where: { FileManager.default.isExecutableFile(atPath: $0) })
            else {
                throw ValidationError(
                    "SVG needs Graphviz's 'dot', which is not installed. Install it (Debian: sudo apt-get install graphviz), or use --format dot or mermaid."
                )
            }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: path)
            process.arguments = ["-Tsvg"]
            let input = Pipe()
            let output = Pipe()
            let errors = Pipe()
            process.standardInput = input
            process.standardOutput = output
            process.standardError = errors
            try process.run()
            input.fileHandleForWriting.write(Data(dot.utf8))
            try input.fileHandleForWriting.close()
            let svg = output.fileHandleForReading.readDataToEndOfFile()
            let problem = errors.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw ValidationError("Graphviz could not draw the task: \(String(decoding: problem, as: UTF8.self))")
            }
            return svg
        }
    }
}
