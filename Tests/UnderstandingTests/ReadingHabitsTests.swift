import DialogModel
import Foundation
import ParleyJSON
import Testing
@testable import Understanding

/// How reps write: shorthand, grouped thousands, name particles, titles of companies, clauses about later.
@Suite struct ReadingHabitsTests {
    let calendar = RecognitionCalendar(now: Date(timeIntervalSince1970: 1_772_442_000), timeZone: .gmt)

    @Test func groupedThousandsAreMoney() {
        let amounts = EntityRecognizer(type: .amount, calendar: calendar)
        #expect(amounts.find(in: "new opp Harbor Retrofit, 250,000, closing March 31").first?.value["amount"] == .number(250_000))
        #expect(amounts.find(in: "budget is 1,200,000 this year").first?.value["amount"] == .number(1_200_000))
        // A year, a phone or a bare number is not money.
        #expect(amounts.find(in: "closing in 2026, call 555 0142 or ask for 40").isEmpty)
        #expect(!EntityRecognizer.isGroupedThousands("12,34"))
        #expect(!EntityRecognizer.isGroupedThousands("1234"))
    }

    @Test func shorthandWithReadsAsWith() {
        #expect(EntityExtractor.expandingShorthand("new lead Jean-Luc w/ Moreau & Fils") == "new lead Jean-Luc with Moreau & Fils")
        #expect(EntityExtractor.expandingShorthand("W/ Acme") == "with Acme")
        // Only the word: paths and other words keep their slashes.
        #expect(EntityExtractor.expandingShorthand("see https://w/x and saw/ w/o") == "see https://w/x and saw/ w/o")
    }

    @Test func particlesBelongToTheLastName() {
        let names = EntityRecognizer(type: .personName(.full), calendar: calendar)
        #expect(names.findNamesAnywhere(in: "view lead Pieter van der Merwe please", part: .full).first?.text == "Pieter van der Merwe")
        #expect(names.findNamesAnywhere(in: "met Ana de la Cruz yesterday", part: .last).first?.value == .string("de la Cruz"))
    }

    @Test func aChiefIsOfACompanyAndAHeadOfADepartment() {
        let titles = EntityRecognizer(type: .jobTitle, calendar: calendar)
        #expect(titles.find(in: "Carlos Mendoza, CFO of Sierra Madre Cement").first?.text == "CFO")
        #expect(titles.find(in: "Hannah Schmidt, Head of Procurement at Alpenglow").first?.text == "Head of Procurement")
        #expect(titles.find(in: "he's the fleet director at Renault").first?.text == "fleet director")
    }

    @Test func clausesAboutAnotherMomentAreLeftOut() {
        #expect(IntentText.withoutAsides("show me Jacques Dubois before I update it") == "show me Jacques Dubois ")
        #expect(IntentText.withoutAsides("Before I close it out, can I see Paper Supply 2026?") == ", can I see Paper Supply 2026?")
        // Not a clause with a subject: kept.
        #expect(IntentText.withoutAsides("list deals closing before March") == "list deals closing before March")
        // A request that is nothing else stays whole.
        #expect(IntentText.withoutAsides("when I update a lead") == "when I update a lead")
    }
}
