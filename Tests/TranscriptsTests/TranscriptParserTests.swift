import DialogRuntime
import ParleyJSON
import Testing
import Transcripts

@Suite("Reading transcript files")
struct TranscriptParserTests {
    /// Titles, users, turns, multi-line bot messages, comments and directives become steps with their lines.
    @Test func readsEveryKindOfLine() throws {
        let text = """
            # Title: Ordering
            # a comment
            @bot ../bot
            @user ana
            @clock 2026-03-02T09:00:00Z
            @env ordersApi=http://orders.test   # a trailing comment
            @http GET http://orders.test/orders/{{*}} -> 404 {"error":"none"}
            > check my order
            < Which order?
            | It looks like ORD-1234.
            @browser allow
            @expect context.entities.orderId == "ORD-1"
            @expect salesforce Lead LastName=Doe Company="Acme Corp"
            @seed salesforce Lead LastName=Smith as smithId
            @clock +15m
            """
        let transcript = try TranscriptParser.parse(text, path: "folder/t.chat")
        #expect(transcript.title == "Ordering")
        #expect(transcript.settings.botFolder == "folder/../bot")
        #expect(transcript.settings.variables["ordersApi"]?.stringValue == "http://orders.test")
        #expect(transcript.steps.map(\.line) == [4, 5, 7, 8, 9, 11, 12, 13, 14, 15])
        guard case .expect(let message) = transcript.steps[4].action else {
            Issue.record("line 9 is not a bot message")
            return
        }
        #expect(message.match("Which order?\nIt looks like ORD-1234.", captures: [:]) != nil)
        guard case .expectRecord(let type, let fields, let exists) = transcript.steps[7].action else {
            Issue.record("line 13 is not a record expectation")
            return
        }
        #expect(type == "Lead" && exists)
        #expect(fields == [FieldValue("LastName", "Doe"), FieldValue("Company", "Acme Corp")])
        guard case .user(let user) = transcript.steps[0].action else {
            Issue.record("line 4 is not @user")
            return
        }
        #expect(user == UserID("ana"))
    }

    /// Every bad line in a file is reported at once, each with its line number and a way out.
    @Test func reportsEveryProblemWithItsLine() {
        let text = """
            < the bot cannot speak first
            > hello
            < Hi {{name}}
            @brower allow
            @clock yesterday
            hello there
            """
        do {
            _ = try TranscriptParser.parse(text, path: "bad.chat")
            Issue.record("a bad transcript was accepted")
        } catch {
            #expect(error.problems.map(\.line) == [1, 3, 4, 5, 6])
            #expect(error.description.contains("bad.chat:3: error: {{name}} is used before any line captures it"))
            #expect(error.description.contains("did you mean @browser?"))
        }
    }

    /// A transcript without a title is named after its file.
    @Test func titleFallsBackToFileName() throws {
        let transcript = try TranscriptParser.parse("> hi\n", path: "Tests/Transcripts/greeting.chat")
        #expect(transcript.title == "greeting")
        #expect(transcript.userTurnCount == 1)
    }
}
