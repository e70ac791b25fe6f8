import DialogModel
import Foundation
import Testing

@Suite("Node ids and task names")
struct IdentifierTests {
    /// Both are stored as plain strings, so conversations saved before the types existed load unchanged.
    @Test func codedAsPlainStrings() throws {
        struct Frame: Codable, Equatable {
            var task: TaskName
            var node: NodeID?
        }
        let frame = Frame(task: "Create Lead", node: "lastName")
        let json = String(decoding: try JSONEncoder().encode(frame), as: UTF8.self)
        #expect(json.contains("\"task\":\"Create Lead\""))
        #expect(json.contains("\"node\":\"lastName\""))
        #expect(try JSONDecoder().decode(Frame.self, from: Data(json.utf8)) == frame)
    }

    /// They read as the text they stand for, and order as it does.
    @Test func readAsTheirText() {
        let id: NodeID = "createLeadService"
        #expect("\(id)" == "createLeadService")
        #expect(TaskName("A") < TaskName("B"))
        #expect(TransitionTarget.node("done").description == "done")
    }
}
