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
        #expect(titles.find(in: "he's their purchasing head - add him").first?.text == "purchasing head")
        #expect(titles.find(in: "head to the office, heads up").isEmpty)
    }

    @Test func ordinaryWordsAreKnownAndNamesAreNot() {
        for word in ["a", "afternoon", "anybody", "don't", "lately", "zoom", "you're"] {
            #expect(CommonWords.contains(word), "\(word)")
        }
        for word in ["", "tanaka", "papadopoulos", "norrsken", "00q", "zzzz", "aa", "Afternoon"] {
            #expect(!CommonWords.contains(word), "\(word)")
        }
    }

    /// An ordinary word no utterance uses says nothing about the task; a word that is not ordinary is a name, as a
    /// slot's value is.
    @Test func anOrdinaryWordTheTasksDoNotUseIsNoEvidence() {
        var trained = IntentText(synonyms: [:])
        trained.learn(IntentText.words(in: "create a lead for Jane Doe"))
        #expect(trained.tokens("good afternoon lead").map(\.stem) == ["lead"])
        #expect(trained.tokens("lead tanaka").map(\.stem) == ["lead", "#text"])
        // Written capitalized inside a sentence, even an ordinary word is a name: "the Harbor lead".
        #expect(trained.tokens("the Harbor lead").map(\.stem) == ["#text", "lead"])
    }

    @Test func clausesAboutAnotherMomentAreLeftOut() {
        #expect(IntentText.withoutAsides("show me Jacques Dubois before I update it") == "show me Jacques Dubois ")
        #expect(IntentText.withoutAsides("Before I close it out, can I see Paper Supply 2026?") == ", can I see Paper Supply 2026?")
        // Not a clause with a subject: kept.
        #expect(IntentText.withoutAsides("list deals closing before March") == "list deals closing before March")
        // A request that is nothing else stays whole.
        #expect(IntentText.withoutAsides("when I update a lead") == "when I update a lead")
    }

    /// "promoted to head of procurement, update her title and mark her as contacted": the title said before its field,
    /// and the next change right after the field's name.
    @Test func aTitleSaidBeforeItsFieldAndAnotherChangeAfter() {
        let statuses = ListSpec(items: [
            ListItem(value: "Open - Not Contacted"), ListItem(value: "Working - Contacted", synonyms: ["contacted"]),
        ])
        let changes = ChangesSpec(fields: [
            .init(name: "Title", words: ["title", "job title"], type: .jobTitle),
            .init(name: "Status", words: ["status"], type: .list(statuses)),
        ])
        let recognizer = EntityRecognizer(type: .changes(changes), calendar: calendar)
        let found = recognizer.find(in: "ngozi okeke got promoted to head of procurement, update her title and mark her as contacted")
        #expect(found.first?.value == .object(["Title": .string("head of procurement"), "Status": .string("Working - Contacted")]))
        // Said as what someone is now, before or after "now", or as "the new …".
        for (request, title) in [
            ("tomasz got promoted, he's COO now - fix his title", "COO"),
            ("arjun venkatesan is CIO now, kindly revise the title on his lead", "CIO"),
            ("she's the new head of procurement, update her title", "head of procurement"),
        ] {
            #expect(recognizer.find(in: request).first?.value == .object(["Title": .string(title)]), "\(request)")
        }
    }

    /// A date moved by a span of time ("push the close date out two weeks") is a shift from the date the record has,
    /// not a date from today; a date said outright stays one.
    @Test func aDateMovedByASpanIsAShift() {
        let changes = ChangesSpec(fields: [
            .init(name: "CloseDate", words: ["close date", "close"], type: .date),
            .init(name: "Amount", words: ["amount"], type: .amount),
        ])
        let recognizer = EntityRecognizer(type: .changes(changes), calendar: calendar)
        for (request, shift) in [
            ("push the close date out two weeks and bump it to 30k", "+14d"),
            ("push the close date out two weeks on the acme deal", "+14d"),
            ("close date back a month", "+1m"),
            ("move the close date by 10 days", "+10d"),
            ("close date a week earlier", "-7d"),
            ("push the close date out a quarter", "+3m"),
            ("push the close date on the acme deal out two weeks", "+14d"),
            ("the close date needs to go back a month", "+1m"),
        ] {
            #expect(recognizer.find(in: request).first?.value["CloseDate"] == ["shift": .string(shift)], "\(request)")
        }
        #expect(recognizer.find(in: "push the close date out two weeks and bump it to 30k").first?.value["Amount"] == 30000)
        #expect(recognizer.find(in: "push the close date to March 26").first?.value["CloseDate"] == "2026-03-26")
        #expect(recognizer.find(in: "close date out 400 years").first?.value["CloseDate"]?["shift"] == nil)
        #expect(
            recognizer.find(in: "update the close date on the acme deal, they sign in two weeks").first?.value["CloseDate"]?["shift"] == nil
        )
    }

    /// A field said after a verb that removes it is emptied ("remove the phone number from Tariq's lead", "clear Jane
    /// Doe's email"), unless a new value is said for it too.
    @Test func aRemovedFieldIsEmptied() {
        let changes = ChangesSpec(fields: [
            .init(name: "Email", words: ["email"], type: .email),
            .init(name: "Phone", words: ["phone", "phone number"], type: .phone),
        ])
        let recognizer = EntityRecognizer(type: .changes(changes), calendar: calendar)
        #expect(recognizer.find(in: "remove the phone number from Tariq Haddad's lead").first?.value == .object(["Phone": .null]))
        #expect(recognizer.find(in: "clear Jane Doe's email").first?.value == .object(["Email": .null]))
        #expect(
            recognizer.find(in: "wipe the old email on Jacques Dubois and put jdubois@renault-fleet.fr instead").first?.value
                == .object(["Email": .string("jdubois@renault-fleet.fr")]))
        #expect(recognizer.find(in: "I deleted her email by mistake").first == nil)
    }

    /// An email right after the record's kind names the record ("for the lead k.ito@… change status"), unless the email
    /// field is named too, where it is the new email.
    @Test func anEmailAfterTheRecordsKindNamesTheRecord() {
        let changes = ChangesSpec(fields: [
            .init(name: "Email", words: ["email"], type: .email),
            .init(name: "Title", words: ["title"], type: .jobTitle),
        ])
        let extractor = EntityExtractor(
            utterances: ["update {lead}, {changes}", "update lead {lead}"],
            entities: [.init(name: "lead", type: .reference), .init(name: "changes", type: .changes(changes))],
            calendar: calendar)
        let values = extractor.extract(from: "for the lead k.ito@hokuto-ems.jp change title to Plant Manager")
        #expect(values["lead"] == .string("k.ito@hokuto-ems.jp"))
        #expect(values["changes"] == .object(["Title": .string("Plant Manager")]))
        let named = extractor.extract(from: "change the email on the Jane Doe lead jane.doe@acme.com")
        #expect(named["changes"] == .object(["Email": .string("jane.doe@acme.com")]))
        let alone = extractor.extract(from: "update Jane Doe's lead, jane.doe@acme.com")
        #expect(alone["changes"] == .object(["Email": .string("jane.doe@acme.com")]))
    }

    /// A capitalized "Deal" ending a name of two capitalized words or more is the name's ("the Brightline Platform
    /// Deal"); after one word, or lowercase, it is the kind of record ("the Acme Deal", "the Globex deal").
    @Test func aCapitalizedDealEndsALongName() {
        let extractor = EntityExtractor(
            utterances: ["kill the {opportunity} deal", "show me {opportunity}"],
            entities: [.init(name: "opportunity", type: .reference)], calendar: calendar)
        #expect(extractor.extract(from: "kill the Brightline Platform Deal") == ["opportunity": .string("Brightline Platform Deal")])
        #expect(extractor.extract(from: "kill the Brightline Platform deal") == ["opportunity": .string("Brightline Platform")])
        #expect(extractor.extract(from: "kill the Acme Deal") == ["opportunity": .string("Acme")])
        #expect(extractor.extract(from: "show me 'ZZ Test Opp'") == ["opportunity": .string("ZZ Test Opp")])
    }

    /// A record named in lowercase before its object's word, at the start of a request or after "the", is named by
    /// those words; verbs and joining words never are.
    @Test func aLowercaseNameBeforeItsObjectWord() {
        let extractor = EntityExtractor(
            utterances: ["update {opportunity}", "show me {opportunity}"],
            entities: [.init(name: "opportunity", type: .reference)], calendar: calendar)
        #expect(
            extractor.extract(from: "lagos freight opp slipped a month, fix it")["opportunity"] == .string("lagos freight"))
        #expect(
            extractor.extract(from: "quick look at the shannon wind renewal opp pls")["opportunity"]
                == .string("shannon wind renewal"))
        #expect(extractor.extract(from: "Okapi renewal opp amount is now 80,000")["opportunity"] == .string("Okapi renewal"))
        #expect(extractor.extract(from: "new deal for me")["opportunity"] != .string("new"))
    }

    /// The task's own words that open a request are not part of a record named in lowercase after them.
    @Test func aRequestsVerbIsNotTheRecord() {
        let extractor = EntityExtractor(
            utterances: ["bump the amount", "show me {opportunity}"],
            entities: [.init(name: "opportunity", type: .reference), .init(name: "amount", type: .amount)], calendar: calendar)
        #expect(extractor.extract(from: "bump okapi renewal opp to 80k")["opportunity"] == .string("okapi renewal"))
    }

    /// A record named in lowercase as the request's topic, before a dash or a colon, is the record meant by "it"; an
    /// ordinary word before a comma names nothing, and "the record" is no record's name.
    @Test func theTopicIsTheRecord() {
        let extractor = EntityExtractor(
            utterances: ["delete {opportunity}", "remove the {opportunity}", "delete the opportunity {opportunity}"],
            entities: [.init(name: "opportunity", type: .reference)], calendar: calendar)
        #expect(
            extractor.extract(from: "cardiff bay repairs portal — take it off the books, remove the record")["opportunity"]
                == .string("cardiff bay repairs portal"))
        #expect(
            extractor.extract(from: "sendai cleanroom opp: delete it, send it to the recycle bin")["opportunity"]
                == .string("sendai cleanroom"))
        #expect(extractor.extract(from: "honestly, delete it")["opportunity"] == .string("it"))
        #expect(extractor.extract(from: "remove the record")["opportunity"] == nil)
        // Text with no words at all names nothing, and reading it is safe.
        for short in ["", "...", "—", "?!"] {
            #expect(EntityRecognizer(type: .reference, calendar: calendar).find(in: short).isEmpty, "\(short)")
        }
    }

    /// Asked which record, an answer that says more than that is read for the record it names; a short one is the
    /// record's name as it is.
    @Test func aLongAnswerNamesItsRecord() {
        let recognizer = EntityRecognizer(type: .reference, calendar: calendar)
        for (answer, name) in [
            ("tomasz's lead is a dupe, can you bin it", "tomasz"), ("the lead for Jane Doe", "Jane Doe"),
            ("Pinnacle Freight Leeds", "Pinnacle Freight Leeds"),
            ("'Copy of Plzeň Brewhouse Controls'", "Copy of Plzeň Brewhouse Controls"),
        ] {
            guard case .value(let value, _) = recognizer.recognize(answer) else {
                Issue.record("\(answer) was not read")
                continue
            }
            #expect(value == .string(name), "\(answer)")
        }
    }

    /// A name the request calls another kind of record is not the lead: the person whose lead it is, is.
    @Test func anotherKindOfRecordIsNotTheLead() {
        let extractor = EntityExtractor(
            utterances: ["delete {lead}'s lead", "remove the {lead} lead", "delete the lead {lead}"],
            entities: [.init(name: "lead", type: .reference)], calendar: calendar)
        #expect(
            extractor.extract(from: "Kwame Mensah is already a contact on the Accra Solar account, so delete his lead")["lead"]
                == .string("Kwame Mensah"))
        #expect(
            extractor.extract(from: "Lucía Romero's lead needs deleting, she's a contact on the Romero Vinos account")["lead"]
                == .string("Lucía Romero"))
        #expect(extractor.extract(from: "delete the lead at the Accra Solar account")["lead"] == .string("Accra Solar"))
    }

    /// "her" in a request that opens with a person, typed in lowercase, is that person, though no list of first names
    /// knows them; words of English opening a request are nobody.
    @Test func herIsThePersonTheRequestOpensWith() {
        let extractor = EntityExtractor(
            utterances: ["update {lead}'s lead", "update the lead {lead}", "mark {lead} as not converted"],
            entities: [.init(name: "lead", type: .reference)], calendar: calendar)
        #expect(
            extractor.extract(from: "thandiwe nkosi isn't interested anymore, they renewed with their vendor. update her lead")[
                "lead"] == .string("thandiwe nkosi"))
        #expect(extractor.extract(from: "good news everyone, update her lead")["lead"] == .string("her"))
        // So is one whose lead the request names outright.
        #expect(extractor.extract(from: "hiroshi tanaka's lead is a dupe, update it")["lead"] == .string("hiroshi tanaka"))
    }

    /// A verb's particle after a name, and ordinary words before a capitalized one, are no part of the record named.
    @Test func wordsAroundARecordAreNotIt() {
        let extractor = EntityExtractor(
            utterances: ["update {lead}'s lead", "show the lead {lead}", "set {lead} to warm"],
            entities: [.init(name: "lead", type: .reference)], calendar: calendar)
        #expect(extractor.extract(from: "knock wanjiru kamau down to warm, no budget")["lead"] == .string("wanjiru kamau"))
        #expect(extractor.extract(from: "has anyone touched the Eero Virtanen lead?")["lead"] == .string("Eero Virtanen"))
        #expect(extractor.extract(from: "show the lead de la Cruz")["lead"] == .string("de la Cruz"))
    }

    /// A name typed in lowercase stops where its clause goes on: "priya raghunathan got promoted".
    @Test(arguments: [
        ("priya raghunathan got promoted, title is now Director of Sourcing", "priya raghunathan"),
        ("amara okafor isn't interested anymore", "amara okafor"), ("tom becker wants a demo", "tom becker"),
    ])
    func aLowercaseNameStopsAtItsClause(request: String, name: String) {
        let names = EntityRecognizer(type: .personName(.full), calendar: calendar).find(in: request)
        #expect(names.map(\.text) == [name])
    }

    /// Words that only lead up to a record are not part of it: "off Martha Pruitt", "from Jane Doe's lead".
    @Test(arguments: [("off Martha Pruitt", "Martha Pruitt"), ("from Jane Doe", "Jane Doe"), ("onto the Acme deal", "Acme")])
    func leadInsAreNotTheRecord(said: String, record: String) {
        guard case .value(let value, _) = EntityRecognizer(type: .reference, calendar: calendar).recognize(said) else {
            Issue.record("\(said): not a reference")
            return
        }
        #expect(value == .string(record))
    }

    /// A title says what someone is; "she runs purchasing" says what she does, so it is no title.
    @Test func whatSomeoneDoesIsNoTitle() {
        let extractor = EntityExtractor(
            utterances: ["log a lead for {firstName} {lastName}, she's {title} at {companyName}"],
            entities: [
                .init(name: "firstName", type: .personName(.first)), .init(name: "lastName", type: .personName(.last)),
                .init(name: "title", type: .jobTitle), .init(name: "companyName", type: .company),
            ],
            calendar: calendar)
        let values = extractor.extract(from: "I just met Ngozi Okeke, she runs purchasing at Harbourline Freight, log her as a lead")
        #expect(values["title"] == nil)
        #expect(values["companyName"] == .string("Harbourline Freight"))
        let titled = extractor.extract(from: "log a lead for Ngozi Okeke, she's head of purchasing at Harbourline Freight")
        #expect(titled["title"] == .string("head of purchasing"))
    }

    /// Reps type companies in lowercase too: after a person, "from" or "at" and the words up to a clause are the
    /// company; and "I've" never is anybody's last name.
    @Test func aLowercaseCompanyAfterAPerson() {
        let extractor = EntityExtractor(
            utterances: ["add {firstName} {lastName} from {companyName} as a lead", "create a lead, {firstName} {lastName}"],
            entities: [
                .init(name: "firstName", type: .personName(.first)), .init(name: "lastName", type: .personName(.last)),
                .init(name: "companyName", type: .company),
            ],
            calendar: calendar)
        let values = extractor.extract(from: "add Isabela Cardoso from cerrado agro as a new lead, I've already spoken with her")
        #expect(values["lastName"] == .string("Cardoso"))
        #expect(values["companyName"] == .string("cerrado agro"))
        #expect(extractor.extract(from: "new lead Tom Becker from the conference")["companyName"] == nil)
    }

    /// A dash between words parts phrases as a comma does, and a writer who capitalizes names capitalizes the company:
    /// "the expo" is where they met, not where they work.
    @Test func whereTheyMetIsNotWhereTheyWork() {
        let extractor = EntityExtractor(
            utterances: ["new lead at {companyName}", "new lead {firstName} {lastName}, {title} at {companyName}"],
            entities: [
                .init(name: "firstName", type: .personName(.first)), .init(name: "lastName", type: .personName(.last)),
                .init(name: "title", type: .jobTitle), .init(name: "companyName", type: .company),
            ],
            calendar: calendar, synonyms: ["lead": ["prospect"]])
        let values = extractor.extract(
            from: "just met a new prospect at the expo - Dana Whitfield, she's VP Ops at Larkspur Logistics")
        #expect(values["firstName"] == .string("Dana"))
        #expect(values["lastName"] == .string("Whitfield"))
        #expect(values["companyName"] == .string("Larkspur Logistics"))
    }
}
