import Foundation
import Testing

/// How the shipped bot reads requests whose record names hold words of its tasks, through `parley understand`: the
/// whole pipeline a user's words go through, trained on the shipped templates.
@Suite struct ShippedUnderstandingTests {
    /// What `parley understand` says of a request to the shipped bot, in a scratch state folder.
    private func reading(_ request: String, verbose: Bool = false) async throws -> String {
        let scratch = try Build.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let result = try await runParley(
            [
                "understand", "--bot", Build.packageRoot.appendingPathComponent("Dialogs").path, "--state",
                scratch.appendingPathComponent("state").path, "--now", "2026-03-02T09:00:00Z", request,
            ] + (verbose ? ["--verbose"] : []))
        #expect(result.status == 0, "output was:\n\(result.output)")
        return result.output
    }

    /// "del" in "Punta del Este", "Booking" in "Húsavík Booking Engine" and a "logged" said in the past start no delete
    /// or create; a request that only says "it" of a name that may be a lead or a deal asks which before deleting; a
    /// list value's words are no synonyms.
    @Test func wordsOfTasksInsideNamesStartNothing() async throws {
        let view = try await reading("Punta del Este Fuel Dock Upgrade — view only, I'm not changing anything")
        #expect(view.hasPrefix("task: ViewOpportunity"), "\(view)")
        #expect(view.contains("opportunity: \"Punta del Este Fuel Dock Upgrade\""), "\(view)")
        let look = try await reading("quick look at the Húsavík booking engine opp")
        #expect(look.hasPrefix("task: ViewOpportunity"), "\(look)")
        let unsure = try await reading("Ubud Resort Guest App, delete it from salesforce altogether")
        #expect(unsure.hasPrefix("question: which of Delete"), "\(unsure)")
        let create = try await reading(
            "Please create the opportunity 'Punta del Este Fuel Dock Upgrade' on Punta del Este Marina Services for 260k")
        #expect(create.hasPrefix("task: CreateOpportunity"), "\(create)")
        // A status of several words is the status, not the word "open" for showing a record.
        let status = try await reading(
            "ok so create a lead for putu wirawan, general manager at ubud spa resorts, we haven't reached out yet so open not contacted",
            verbose: true)
        #expect(status.hasPrefix("task: CreateLead"), "\(status)")
        #expect(status.contains("status: \"Open - Not Contacted\""), "\(status)")
        #expect(status.contains(" so|so open|open not|not contact"), "\(status)")
    }

    /// What `parley understand --check --verbose` says of a paraphrase set, read in one process (training once).
    private func checking(_ paraphrases: String) async throws -> String {
        let scratch = try Build.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let set = scratch.appendingPathComponent("set.yaml")
        try paraphrases.write(to: set, atomically: true, encoding: .utf8)
        let result = try await runParley([
            "understand", "--bot", Build.packageRoot.appendingPathComponent("Dialogs").path, "--state",
            scratch.appendingPathComponent("state").path, "--now", "2026-03-02T09:00:00Z", "--check", set.path, "--verbose",
        ])
        return result.output
    }

    /// A lead said as one already there is no new lead: "X's mobile is …, add it to his lead" updates it, "X's lead —
    /// his mobile is …" too, and "the Gulf Horizon lead" alone is shown, never created; asked about, a field is shown;
    /// a new person's details, and someone's name said to make a new lead, still create one. Someone at their company
    /// said first before a dash is whose lead "her lead" means, and a clause after "her lead" names nothing ("turns out
    /// she's a duplicate" is no lead called "turns", "his lead came from …" no lead called "came"); nor does what
    /// follows a lead named as the topic ("forth freight lead — turns out …"), while a list's search words still follow
    /// its colon.
    @Test func aLeadAlreadyThereIsNoNewLead() async throws {
        let output = try await checking(
            """
            - say: "Jean-Bosco Habimana's mobile is +250 722 555 910, pls add it to his lead"
              task: UpdateLead
            - say: "Callum McAllister's lead — his mobile is 07700 900 412"
              task: UpdateLead
              entities: { lead: "Callum McAllister" }
            - say: "the Gulf Horizon lead"
              task: ViewLead
            - say: "what's Callum McAllister's mobile?"
              task: ViewLead
            - say: "add Callum McAllister, ops lead at Forth Freight, as a lead"
              task: CreateLead
              entities: { firstName: "Callum", lastName: "McAllister", companyName: "Forth Freight" }
            - say: "add Jane's colleague Tom Becker as a lead"
              task: CreateLead
            - say: "lucia at douro cork - get rid of her lead, turns out she's a duplicate of one we already had"
              task: DeleteLead
              entities: { lead: "lucia at douro cork" }
            - say: "delete her lead, anyway she's a dupe"
              task: DeleteLead
              entities: { lead: "her" }
            - say: "his lead came from a partner referral actually, change the source"
              task: UpdateLead
              entities: { lead: "it" }
            - say: "forth freight lead — turns out he's a dupe of one we already had, get rid of it"
              task: DeleteLead
              entities: { lead: "forth freight" }
            - say: "lookup leads: crescent health"
              task: SearchLeads
              entities: { keyword: "crescent health" }
            """)
        #expect(output.contains("tasks 11/11 (100.0%), entity values 9/9 (100.0%)"), "\(output)")
    }

    /// How far a date moves is no record: "two weeks" is never searched for as an opportunity.
    @Test func aSpanOfTimeIsNoRecord() async throws {
        let push = try await reading("push the close date out two weeks and bump it to 30k")
        #expect(push.hasPrefix("task: UpdateOpportunity"), "\(push)")
        #expect(push.contains("\"Amount\":30000"), "\(push)")
        // The date moves from the deal's own close date, and "it" is the deal just talked about.
        #expect(push.contains("\"CloseDate\":{\"shift\":\"+14d\"}"), "\(push)")
        #expect(push.contains("opportunity: \"it\""), "\(push)")
    }
}
