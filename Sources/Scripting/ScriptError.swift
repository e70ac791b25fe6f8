import ParleyJSON

/// A script that failed to compile or run, or an engine that could not start.
///
/// `message` is JavaScript's own text, such as `ReferenceError: Can't find variable: foo`;
/// `line` and `column` are 1-based within the script's own source when JavaScriptCore reports them.
public struct ScriptError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is; new kinds may be added.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private enum Value: Sendable, Hashable {
            case syntax, runtime, timeLimitExceeded, memoryLimitExceeded, invalidConfiguration, engineFailure
        }
        private let value: Value

        /// The source is not valid JavaScript (or, for expressions, not a single expression).
        public static let syntax = Kind(value: .syntax)
        /// The script threw, or produced a value that cannot become JSON (a cycle, too deep).
        public static let runtime = Kind(value: .runtime)
        /// The script ran longer than the engine's time limit and was stopped.
        public static let timeLimitExceeded = Kind(value: .timeLimitExceeded)
        /// The script grew the process by more than the engine's memory limit and was stopped.
        public static let memoryLimitExceeded = Kind(value: .memoryLimitExceeded)
        /// The engine was asked for something impossible, such as a time limit that is not positive.
        public static let invalidConfiguration = Kind(value: .invalidConfiguration)
        /// JavaScriptCore did not behave as Parley expects: a bug or a broken installation, not bad input.
        public static let engineFailure = Kind(value: .engineFailure)

        public var description: String {
            switch value {
            case .syntax: return "syntax error"
            case .runtime: return "runtime error"
            case .timeLimitExceeded: return "time limit exceeded"
            case .memoryLimitExceeded: return "memory limit exceeded"
            case .invalidConfiguration: return "invalid configuration"
            case .engineFailure: return "engine failure"
            }
        }
    }

    /// What kind of failure this is.
    public let kind: Kind
    /// The JavaScript exception text, or Parley's explanation when there was no exception.
    public let message: String
    /// The 1-based line within the source, when known.
    public let line: Int?
    /// The 1-based column within that line, when known.
    public let column: Int?

    public init(kind: Kind, message: String, line: Int? = nil, column: Int? = nil) {
        self.kind = kind
        self.message = message
        self.line = line
        self.column = column
    }

    /// The message with its position, such as `SyntaxError: Unexpected token ')' (line 2, column 7)`.
    public var description: String {
        switch (line, column) {
        case (let line?, let column?): return "\(message) (line \(line), column \(column))"
        case (let line?, nil): return "\(message) (line \(line))"
        default: return message
        }
    }
}

extension ScriptError {
    /// A memory limit as a person reads it: `128 MB`, `1.5 MB`, `512 KB`, `100 bytes`.
    public static func describe(bytes: Int) -> String {
        if bytes >= 1024 * 1024 { return JSONValue.format(number: (Double(bytes) / 1_048_576 * 10).rounded() / 10) + " MB" }
        if bytes >= 1024 { return JSONValue.format(number: (Double(bytes) / 1024 * 10).rounded() / 10) + " KB" }
        return "\(bytes) bytes"
    }
}
