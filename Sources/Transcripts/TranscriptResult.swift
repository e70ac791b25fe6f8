public import Channels
import Foundation

/// One thing that went wrong while replaying a transcript.
public struct TranscriptFailure: Sendable, Hashable {
    /// The transcript line at fault (the first expectation that did not hold, or the action).
    public var line: Int
    /// The line of what the user said last before this; `nil` before anyone spoke.
    public var turnLine: Int?
    /// What the user said last before this.
    public var turnText: String?
    /// What is wrong, in a sentence.
    public var message: String
    /// The lines that were expected, for the diff; empty when there is nothing to compare.
    public var expected: [String]
    /// The lines the bot (or the sandbox) actually produced.
    public var actual: [String]

    public init(line: Int, turn: (line: Int, text: String)?, message: String, expected: [String] = [], actual: [String] = []) {
        self.line = line
        self.turnLine = turn?.line
        self.turnText = turn?.text
        self.message = message
        self.expected = expected
        self.actual = actual
    }
}

/// What replaying one transcript found.
public struct TranscriptResult: Sendable {
    public var path: String
    public var title: String
    /// Every failure, in file order; empty when the transcript passed.
    public var failures: [TranscriptFailure]
    /// How many user turns ran.
    public var turns: Int
    public var duration: Duration
    /// Nodes run, each with its task.
    public var nodesRun: Set<CoveredNode>
    /// Transitions taken, each from a node of a task.
    public var transitionsTaken: Set<CoveredTransition>
    /// The bot folder the transcript ran against (for coverage), when it could be loaded.
    public var botFolder: String?

    public var passed: Bool { failures.isEmpty }

    public init(
        path: String, title: String, failures: [TranscriptFailure], turns: Int = 0, duration: Duration = .zero,
        nodesRun: Set<CoveredNode> = [], transitionsTaken: Set<CoveredTransition> = [], botFolder: String? = nil
    ) {
        self.path = path
        self.title = title
        self.failures = failures
        self.turns = turns
        self.duration = duration
        self.nodesRun = nodesRun
        self.transitionsTaken = transitionsTaken
        self.botFolder = botFolder
    }

    /// The failures as a person reads them: `file:line`, the user turn, and a diff.
    public func report(style: TerminalStyle) -> String {
        var text = ""
        for failure in failures {
            text += style.bold("\(path):\(failure.line)") + ": " + style.red(style.bold("error")) + ": " + failure.message + "\n"
            if let turnLine = failure.turnLine {
                text += "  " + style.dim("after line \(turnLine):") + " > " + (failure.turnText ?? "") + "\n"
            }
            if !failure.expected.isEmpty || !failure.actual.isEmpty {
                text += UnifiedDiff.render(expected: failure.expected, actual: failure.actual, style: style, indent: "  ")
            }
        }
        return text
    }
}
