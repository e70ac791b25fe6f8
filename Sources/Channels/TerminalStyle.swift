public import DialogModel
public import Foundation

/// Colors for a terminal, and none at all when output is a file or a pipe (or `NO_COLOR` is set).
public struct TerminalStyle: Sendable {
    public let usesColor: Bool

    public init(usesColor: Bool) {
        self.usesColor = usesColor
    }

    /// Color when the handle is a terminal and `NO_COLOR` is not set.
    public init(for handle: FileHandle) {
        let environment = ProcessInfo.processInfo.environment
        self.usesColor = isatty(handle.fileDescriptor) == 1 && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
    }

    public func bold(_ text: String) -> String { wrap(text, "1") }
    public func dim(_ text: String) -> String { wrap(text, "2") }
    public func red(_ text: String) -> String { wrap(text, "31") }
    public func green(_ text: String) -> String { wrap(text, "32") }
    public func yellow(_ text: String) -> String { wrap(text, "33") }
    public func cyan(_ text: String) -> String { wrap(text, "36") }

    /// `file:line:col: error: message`, with the severity colored.
    public func diagnostic(_ diagnostic: Diagnostic) -> String {
        let severity = diagnostic.severity == .error ? red(bold("error")) : yellow(bold("warning"))
        var text = "\(bold(diagnostic.location.description)): \(severity): \(diagnostic.message)"
        if let suggestion = diagnostic.suggestion { text += "; did you mean '\(suggestion)'?" }
        return text
    }

    private func wrap(_ text: String, _ code: String) -> String {
        usesColor ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
