import Foundation
import Testing
import Transcripts

/// Hostile transcript lines: values a parser reads as numbers or patterns but a run could not survive
/// are refused with their line.
struct TranscriptLimitsTests {
    func problems(_ text: String) -> [String] {
        do {
            _ = try TranscriptParser.parse(text, path: "t.chat")
            return []
        } catch {
            return error.problems.map { "\($0.line): \($0.message)" }
        }
    }

    /// `@clock +N` beyond a century, infinity included, is refused; a century is allowed.
    @Test(arguments: ["+infs", "+infinityd", "+1e300d", "+36501d", "+3153600001s"])
    func clockStepsBeyondACentury(step: String) {
        #expect(problems("@clock \(step)") == ["1: @clock +N moves time on by at most 100 years (+36500d), not \(step)"])
    }

    /// The longest step is read as written.
    @Test func centuryClockStep() throws {
        let transcript = try TranscriptParser.parse("@clock +36500d\n@clock +0.5s", path: "t.chat")
        let changes = transcript.steps.compactMap { step -> ClockChange? in
            if case .clock(let change) = step.action { change } else { nil }
        }
        #expect(changes == [.advance(3_153_600_000), .advance(0.5)])
    }

    /// A negative or not-a-number step is refused with the format, as before.
    @Test(arguments: ["+nans", "+-1m", "+", "+5y"])
    func malformedClockSteps(step: String) {
        #expect(problems("@clock \(step)") == ["1: @clock +N moves time on by N seconds, minutes, hours or days: +30s, +15m, +2h, +1d"])
    }

    /// A regex or capture hole whose only slash is the opening one is reported as unclosed, where it used to crash.
    @Test func holesClosedByTheirOpeningSlash() {
        #expect(problems("> hi\n< Order {{/}}") == ["2: a {{/regex/}} is not closed with /}}"])
        #expect(problems("> hi\n< Order {{id:/}} done") == ["2: the capture {{id:/…/}} is not closed with /}}"])
        #expect(problems("> hi\n<? a | {{/}}") == ["2: a {{/regex/}} is not closed with /}}"])
    }

    /// The shortest holes still read, and an empty regex is reported as one.
    @Test func shortestHoles() throws {
        #expect(try MessagePattern(parsing: "a{{/x/}}b").segments == [.literal("a"), .regex("x"), .literal("b")])
        #expect(try MessagePattern(parsing: "{{id:/./}}").segments == [.capture(name: "id", regex: ".")])
        #expect(problems("> hi\n< {{//}}") == ["2: '' is not a valid regular expression"])
    }
}
