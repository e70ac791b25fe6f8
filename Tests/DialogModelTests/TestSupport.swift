import DialogModel
import Foundation

/// Where the fixture bots live, next to this file.
enum Fixtures {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func path(_ name: String) -> String {
        folder.appendingPathComponent(name).path
    }
}

/// A syntax checker that rejects any `@`, reporting its line and column, so tests can check that
/// JavaScript errors are mapped to the right place in the file.
struct AtSignChecker: ScriptSyntaxChecking {
    func syntaxError(in source: String, as kind: ScriptKind) -> ScriptSyntaxError? {
        for (index, line) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if let at = line.firstIndex(of: "@") {
                let column = line.distance(from: line.startIndex, to: at) + 1
                let what = kind == .expression ? "expression" : "statement"
                return ScriptSyntaxError(message: "unexpected '@' in \(what)", line: index + 1, column: column)
            }
        }
        return nil
    }
}

/// The diagnostics of one task file's text, as `file:line:col: severity: message` lines.
func diagnostics(_ yaml: String, checker: (any ScriptSyntaxChecking)? = AtSignChecker()) -> [String] {
    BotLoader.parseTask(yaml: yaml, file: "Task.yaml", scriptChecker: checker).1.map(\.description)
}

/// The error lines only.
func errors(_ yaml: String, checker: (any ScriptSyntaxChecking)? = AtSignChecker()) -> [String] {
    BotLoader.parseTask(yaml: yaml, file: "Task.yaml", scriptChecker: checker).1
        .filter { $0.severity == .error }.map(\.description)
}
