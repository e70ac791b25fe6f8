import ParleyJSON
import Testing

@testable import Scripting

/// The `{{ }}` splitter on hostile text: unclosed and empty placeholders, indexes beyond the integers,
/// marks that join a brace into one character, and very long runs of braces.
struct TemplateSplittingTests {
    /// The literal text of a template, with placeholders written as `<path>` or `<js:expression>`.
    func shape(_ text: String) -> String {
        Template(parsing: text).parts.map { part in
            switch part {
            case .text(let text): text
            case .path(_, _, let source): "<\(source)>"
            case .expression(let expression): "<js:\(expression)>"
            }
        }.joined()
    }

    /// An opening `{{` with no closing `}}` stays text, whatever comes after it.
    @Test func unclosedPlaceholdersStayText() {
        #expect(shape("Hello {{ name") == "Hello {{ name")
        #expect(shape("{{a}} and {{ b") == "<a> and {{ b")
        #expect(Template(parsing: "{{ b").hasPlaceholders == false)
    }

    /// An empty placeholder renders as nothing.
    @Test func emptyPlaceholdersVanish() {
        #expect(shape("a{{}}b{{  }}c") == "abc")
    }

    /// An index too large for an integer is not a plain path; it is left to JavaScript, which reads it as a property.
    @Test func indexesBeyondTheIntegers() {
        let huge = "context.list[99999999999999999999]"
        #expect(shape("{{\(huge)}}") == "<js:\(huge)>")
        guard case .path(_, let rest, _) = Template(parsing: "{{context.list[9223372036854775807]}}").parts.first else {
            Issue.record("the largest integer index is a plain path")
            return
        }
        #expect(rest == [.key("list"), .index(Int.max)])
    }

    /// A combining mark after a closing brace joins it into one character; splitting still ends and keeps the text.
    @Test func combiningMarksAfterBraces() {
        let parts = Template(parsing: "{{a}}\u{301}x{{b}\u{301}}").parts
        #expect(parts.isEmpty == false)
        #expect(shape("plain\u{301} {{a}}") == "plain\u{301} <a>")
    }

    /// A hundred thousand braces split quickly, in one pass.
    @Test(.timeLimit(.minutes(5))) func longRunsOfBraces() {
        #expect(shape(String(repeating: "{{", count: 100_000)).count == 200_000)
        let closed = String(repeating: "{{x}}", count: 20_000)
        #expect(Template(parsing: closed).parts.count == 20_000)
    }
}
