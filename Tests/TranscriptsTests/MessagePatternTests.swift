import Testing
import Transcripts

@Suite("Matching bot lines")
struct MessagePatternTests {
    /// A line without holes matches only the exact text: no case folding, no substrings.
    @Test func exactByDefault() throws {
        let pattern = try MessagePattern(parsing: "How many?")
        #expect(pattern.match("How many?", captures: [:]) != nil)
        #expect(pattern.match("how many?", captures: [:]) == nil)
        #expect(pattern.match("How many? Say a number.", captures: [:]) == nil)
    }

    /// `{{*}}` matches any text on one line, including none, but not a line break.
    @Test func wildcard() throws {
        let pattern = try MessagePattern(parsing: "Please authorize Salesforce: {{*}}")
        #expect(pattern.match("Please authorize Salesforce: http://x/authorize?state=1", captures: [:]) != nil)
        #expect(pattern.match("Please authorize Salesforce: ", captures: [:]) != nil)
        #expect(pattern.match("Please authorize Salesforce: a\nb", captures: [:]) == nil)
    }

    /// `{{name:/regex/}}` captures what the regex matched; `{{name}}` later matches exactly that text.
    @Test func captureAndReuse() throws {
        let created = try MessagePattern(parsing: "Created {{leadId:/00Q\\w{15}/}}.")
        let captured = try #require(created.match("Created 00QPa0000000001MAA.", captures: [:]))
        #expect(captured == ["leadId": "00QPa0000000001MAA"])
        #expect(created.match("Created 00Qshort.", captures: [:]) == nil)
        let shown = try MessagePattern(parsing: "Lead {{leadId}} is open.")
        #expect(shown.match("Lead 00QPa0000000001MAA is open.", captures: captured) != nil)
        #expect(shown.match("Lead 00QPa0000000002MAA is open.", captures: captured) == nil)
    }

    /// Captured text is matched literally, even when it holds regex characters.
    @Test func reuseIsLiteral() throws {
        let pattern = try MessagePattern(parsing: "Total: {{price}}")
        #expect(pattern.match("Total: $1.50", captures: ["price": "$1.50"]) != nil)
        #expect(pattern.match("Total: $1x50", captures: ["price": "$1.50"]) == nil)
    }

    /// `\{{` is two literal braces, so a bot that prints templates can be tested.
    @Test func escapedBraces() throws {
        let pattern = try MessagePattern(parsing: "Use \\{{context.x}} here")
        #expect(pattern.match("Use {{context.x}} here", captures: [:]) != nil)
    }

    /// Unclosed holes, bad names and bad regexes are refused with a reason.
    @Test func badHolesAreRefused() {
        #expect(throws: PatternSyntaxError.self) { try MessagePattern(parsing: "id {{/[a-z/}}") }
        #expect(throws: PatternSyntaxError.self) { try MessagePattern(parsing: "id {{1st:/x/}}") }
        #expect(throws: PatternSyntaxError.self) { try MessagePattern(parsing: "id {{leadId:/x/") }
        #expect(throws: PatternSyntaxError.self) { try MessagePattern(parsing: "id {{what is this}}") }
    }

    /// `<~` lines match the whole message as a regular expression, and `(?<name>…)` groups capture.
    @Test func regexLines() throws {
        let transcript = try TranscriptParser.parse("> hi\n<~ Leads: (?<count>\\d+) found\n", path: "t.chat")
        guard case .expect(let expectation) = transcript.steps[1].action else {
            Issue.record("the second step is not an expectation")
            return
        }
        #expect(expectation.match("Leads: 12 found", captures: [:]) == ["count": "12"])
        #expect(expectation.match("Leads: 12 found, 3 new", captures: [:]) == nil)
    }

    /// `<?` lines accept any one of their alternatives.
    @Test func oneOfLines() throws {
        let transcript = try TranscriptParser.parse("> hi\n<? Yes | Yeah | Sure, {{*}}\n", path: "t.chat")
        guard case .expect(let expectation) = transcript.steps[1].action else {
            Issue.record("the second step is not an expectation")
            return
        }
        #expect(expectation.match("Yeah", captures: [:]) != nil)
        #expect(expectation.match("Sure, why not", captures: [:]) != nil)
        #expect(expectation.match("Nope", captures: [:]) == nil)
    }
}
