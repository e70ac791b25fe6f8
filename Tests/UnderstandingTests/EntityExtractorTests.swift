import DialogModel
import Foundation
import ParleyJSON
import Testing
import Understanding

@Suite struct EntityExtractorTests {
    let leadExtractor = EntityExtractor(
        utterances: ["create a lead", "add a new lead for {company}", "create a lead for {lastName} at {company}"],
        entities: [
            .init(name: "lastName", type: .string), .init(name: "company", type: .string),
            .init(name: "email", type: .email), .init(name: "leadSource", type: .list(leadSources)),
        ],
        calendar: utc)

    let opportunityExtractor = EntityExtractor(
        utterances: ["create an opportunity {name}", "new opportunity for {account} worth {amount}"],
        entities: [
            .init(name: "name", type: .string), .init(name: "account", type: .string),
            .init(name: "amount", type: .amount), .init(name: "closeDate", type: .date),
            .init(name: "probability", type: .percentage), .init(name: "stage", type: .list(opportunityStages)),
        ],
        calendar: utc)

    /// Slots in a training utterance take the words that stand where they stand.
    @Test func slotsFromTrainingUtterance() {
        #expect(
            leadExtractor.extract(from: "create a lead for Jane Doe at Acme")
                == ["lastName": .string("Jane Doe"), "company": .string("Acme")])
    }

    /// A value never ends with joining words nor is only those, and a record id names its record alone, whichever
    /// step found them; a capitalized joining word belongs to the name ("Director of IT").
    @Test func valuesAreTidied() {
        let viewer = EntityExtractor(
            utterances: ["view opportunity {opportunity}", "update {opportunity} opp"],
            entities: [.init(name: "opportunity", type: .reference)],
            calendar: utc)
        #expect(viewer.extract(from: "opp 006Hs00001ZxYwLIAV details") == ["opportunity": .string("006Hs00001ZxYwLIAV")])
        #expect(viewer.extract(from: "update - opp") == [:])
        #expect(viewer.extract(from: "update it") == ["opportunity": .string("it")])
        // A name with a particle that goes on in capitalized words is a place in a record's name, not a person.
        #expect(
            viewer.extract(from: "Punta del Este Fuel Dock Upgrade — view only")
                == ["opportunity": .string("Punta del Este Fuel Dock Upgrade")])
        #expect(viewer.extract(from: "update Pieter van Dijk") == ["opportunity": .string("Pieter van Dijk")])
        let searcher = EntityExtractor(
            utterances: ["search leads for {keyword}", "look up {keyword} in my leads", "search for {keyword} among leads"],
            entities: [.init(name: "keyword", type: .string)], calendar: utc)
        #expect(searcher.extract(from: "search leads for Director of IT") == ["keyword": .string("Director of IT")])
        // Words that say what kind of term it is, and marks before it, are no part of it.
        for (request, keyword) in [
            ("search leads for the number +92 21 3555 0187", "+92 21 3555 0187"),
            ("search leads for domain drakensbergeco.co.za", "drakensbergeco.co.za"),
            ("search leads for samarkandsilk.uz addresses", "samarkandsilk.uz"), ("search leads for → radar", "radar"),
            ("search leads for Acme Domain Services", "Acme Domain Services"),
        ] {
            #expect(searcher.extract(from: request) == ["keyword": .string(keyword)], "\(request)")
        }
        // The term said as the topic, before a dash, or as what things are related to; a term said in its place wins.
        for (request, keyword) in [
            ("gaborone — any leads there?", "gaborone"), ("Enugu - got any leads based there?", "Enugu"),
            ("anything whisky-related among the leads?", "whisky"), ("kulkarni — look up in my leads", "kulkarni"),
            ("Acme — search leads for Globex", "Globex"),
        ] {
            #expect(searcher.extract(from: request) == ["keyword": .string(keyword)], "\(request)")
        }
        // "whatever is about this" is no part of the term; ordinary lowercase words that only say why give way to the
        // name the request writes capitalized.
        for (request, keyword) in [
            ("search leads for anything olive oil", "olive oil"), ("search leads for knitwear companies", "knitwear"),
            ("search leads for gdansk left", "gdansk"),
            ("search leads for Acme Company", "Acme Company"),
            ("look up Souss Argan in my leads? don't want to create a dupe", "Souss Argan"),
        ] {
            #expect(searcher.extract(from: request) == ["keyword": .string(keyword)], "\(request)")
        }
        // A capitalized name that goes on in lowercase up to the record's word, or after it up to a comma, is one name.
        for (request, name) in [
            ("how much is the Atacama truck telematics deal worth again?", "Atacama truck telematics"),
            ("Nuwara Eliya withering room opp — erase it", "Nuwara Eliya withering room"),
            ("view opportunity Nuwara Eliya withering room, I need the figures", "Nuwara Eliya withering room"),
            ("update Acme opp today", "Acme"),
        ] {
            #expect(viewer.extract(from: request) == ["opportunity": .string(name)], "\(request)")
        }
    }

    /// Slots in a row share the words: each but the last takes one, the last takes the rest, and
    /// a single word goes to the last slot.
    @Test func slotsInARow() {
        let extractor = EntityExtractor(
            utterances: ["new lead for {firstName} {lastName} at {company}"],
            entities: [
                .init(name: "firstName", type: .string), .init(name: "lastName", type: .string),
                .init(name: "company", type: .string),
            ],
            calendar: utc)
        #expect(
            extractor.extract(from: "new lead for John Smith at Globex")
                == ["firstName": .string("John"), "lastName": .string("Smith"), "company": .string("Globex")])
        #expect(
            extractor.extract(from: "new lead for Anna van der Berg at Initech")
                == ["firstName": .string("Anna"), "lastName": .string("van der Berg"), "company": .string("Initech")])
        #expect(
            extractor.extract(from: "new lead for Smith at Globex") == ["lastName": .string("Smith"), "company": .string("Globex")])
    }

    /// Extra words before, between and after the training words do not break slots.
    @Test func extraWords() {
        #expect(
            leadExtractor.extract(from: "please create a new lead for Jane Doe at Acme Corp, thanks")
                == ["lastName": .string("Jane Doe"), "company": .string("Acme Corp")])
        #expect(leadExtractor.extract(from: "could you add a lead for Globex") == ["company": .string("Globex")])
    }

    /// In a row of a new record's values, the field after the one its name was read from is its company.
    @Test func theCompanyOfARow() {
        let creator = EntityExtractor(
            utterances: ["new opportunity {opportunityName} for {accountName} worth {amount}", "new opp: {opportunityName}"],
            entities: [
                .init(name: "opportunityName", type: .string), .init(name: "accountName", type: .company),
                .init(name: "amount", type: .amount),
            ], calendar: utc)
        for (request, account) in [
            ("new opp: Da Nang Kiln Automation / Da Nang Ceramics Export / $380k / qualification", "Da Nang Ceramics Export"),
            ("new opp: Okafor Telehealth Rollout, account Okafor Health, $75k, qualification", "Okafor Health"),
        ] {
            #expect(creator.extract(from: request)["accountName"] == .string(account), "\(request)")
        }
        // A field of ordinary words, or of other marks, is no company.
        #expect(creator.extract(from: "new opp: Dakar Berth Platform — $250k — no idea on the date yet")["accountName"] == nil)
    }

    /// A request written all in capitals reads as in lowercase, and what it names keeps the capitals it was written in.
    @Test func shoutedRequests() {
        let creator = EntityExtractor(
            utterances: ["create a lead for {firstName} {lastName} at {company}"],
            entities: [
                .init(name: "firstName", type: .personName(.first)), .init(name: "lastName", type: .personName(.last)),
                .init(name: "company", type: .company),
            ], calendar: utc)
        let found = creator.extract(from: "CREATE A LEAD FOR JANE DOE AT ACME")
        #expect(found["company"] == .string("ACME"))
        #expect(found["firstName"] == .string("Jane"))
        let lister = EntityExtractor(
            utterances: ["list {rating} leads"],
            entities: [.init(name: "rating", type: .list(ListSpec(items: [ListItem(value: "Hot"), ListItem(value: "Cold")])))],
            calendar: utc)
        #expect(lister.extract(from: "COLD LEADS. ALL OF THEM.") == ["rating": .string("Cold")])
    }

    /// Typed values are found anywhere, and a string slot stops where they start.
    @Test func typedValuesAnywhere() {
        #expect(
            leadExtractor.extract(from: "create a lead for Jane at Acme with email jane@acme.com, source web")
                == [
                    "lastName": .string("Jane"), "company": .string("Acme"), "email": .string("jane@acme.com"),
                    "leadSource": .array([.string("Web")]),
                ])
        #expect(
            opportunityExtractor.extract(from: "new opportunity for Acme worth $50k closing next friday at 60%")
                == [
                    "account": .string("Acme"), "amount": money(50_000, "USD"), "closeDate": .string("2026-03-13"),
                    "probability": .number(60),
                ])
    }

    /// An utterance with only the intent's own words fills nothing.
    @Test(arguments: ["create a lead", "create a new lead", "add a new lead for a lead"])
    func intentWordsFillNothing(utterance: String) {
        #expect(leadExtractor.extract(from: utterance) == [:])
    }

    /// A slot at the end of the training utterance runs to the end of the utterance.
    @Test func trailingSlot() {
        #expect(opportunityExtractor.extract(from: "create an opportunity Big Deal") == ["name": .string("Big Deal")])
    }

    /// Two entities of one type are told apart by their names, or left alone.
    @Test func sameTypeEntities() {
        let extractor = EntityExtractor(
            utterances: ["schedule a meeting"],
            entities: [.init(name: "startDate", type: .date), .init(name: "endDate", type: .date)], calendar: utc)
        #expect(
            extractor.extract(from: "schedule a meeting, start date tomorrow, end date Dec 31")
                == ["startDate": .string("2026-03-03"), "endDate": .string("2026-12-31")])
        #expect(extractor.extract(from: "schedule a meeting tomorrow") == [:])
    }

    /// Entity nodes that do not allow extraction are left to their prompts.
    @Test func respectsExtractionSetting() {
        let template = Template("Email?", at: SourceLocation(file: "t.yaml", line: 1, column: 1))
        let extractor = EntityExtractor(
            intent: IntentSpec(name: "Create Lead", utterances: ["create a lead"]),
            entities: [
                EntitySpec(name: "email", type: .email, prompts: [template], extractFromUtterance: false),
                EntitySpec(name: "phone", type: .phone, prompts: [template]),
            ],
            calendar: utc)
        #expect(
            extractor.extract(from: "create a lead jane@acme.com +1 415 555 0100") == ["phone": .string("+14155550100")])
    }
}

@Suite struct LabelledValueTests {
    let creator = EntityExtractor(
        utterances: [
            "add a lead {firstName} {lastName} company {companyName}", "new lead {firstName} {lastName}, {title}, {companyName}",
        ],
        entities: [
            .init(name: "firstName", type: .personName(.first)), .init(name: "lastName", type: .personName(.last)),
            .init(name: "companyName", type: .company), .init(name: "title", type: .jobTitle),
        ],
        calendar: utc)

    /// A word that names another entity's value ("company") is never skipped to find a name after it, and a company
    /// may be labelled "company", "account" or "acct".
    @Test(arguments: [
        "add Kwame Mensah as a lead, company Accra Solar Co", "add Kwame Mensah as a lead, acct Accra Solar Co",
        "add Kwame Mensah as a lead, company name is Accra Solar Co",
    ])
    func labelledCompany(request: String) {
        #expect(
            creator.extract(from: request)
                == ["firstName": .string("Kwame"), "lastName": .string("Mensah"), "companyName": .string("Accra Solar Co")])
    }

    /// A title ends at a comma and starts after the words that introduce it.
    @Test func titlesKeepToTheirWords() {
        #expect(
            creator.extract(from: "new lead Tomasz Wiśniewski, Head of IT, Baltic Cold Chain")
                == [
                    "firstName": .string("Tomasz"), "lastName": .string("Wiśniewski"), "title": .string("Head of IT"),
                    "companyName": .string("Baltic Cold Chain"),
                ])
        #expect(creator.extract(from: "a lead for Bongani Dlamini? He's Procurement Lead")["title"] == .string("Procurement Lead"))
    }

    /// A contact's details as people paste or type them: fields behind bars, slashes and dashes, names and companies in
    /// lowercase, a company known by how its name ends.
    @Test(arguments: [
        (
            "Lorenzo Gatti | Apuan Marble Quarries | Facilities Manager | +39 0585 555 214, pls enter as a lead",
            ["Lorenzo", "Gatti", "Apuan Marble Quarries", "Facilities Manager"]
        ),
        (
            "chidinma eze, head of ops at enugu agro processors, add her as a lead",
            ["Chidinma", "Eze", "enugu agro processors", "head of ops"]
        ),
        ("creat a lead wanjiru kamau rift valley dairies", ["Wanjiru", "Kamau", "rift valley dairies", nil]),
        ("mk new leed Rohini Kulkarni Pune Auto Components", ["Rohini", "Kulkarni", "Pune Auto Components", nil]),
        (
            "Valentina Ocampo — purchasing manager, Medellín Flower Growers. Can you make her a lead?",
            ["Valentina", "Ocampo", "Medellín Flower Growers", "purchasing manager"]
        ),
        (
            "arjun venkatesan from coimbatore spinning mills, kindly create lead, ph 98450 55512",
            ["Arjun", "Venkatesan", "coimbatore spinning mills", nil]
        ),
    ])
    func pastedDetails(request: String, expected: [String?]) {
        let found = creator.extract(from: request)
        #expect(found["firstName"]?.stringValue == expected[0])
        #expect(found["lastName"]?.stringValue == expected[1])
        #expect(found["companyName"]?.stringValue == expected[2])
        #expect(found["title"]?.stringValue == expected[3])
    }

    /// Ordinary words after the request's own are no one's name, and a name that ends like a company's is a company.
    @Test(arguments: [
        "lead from the trade show booth: Anjali Deshmukh", "Anjali Deshmukh rang, could you pop her in as a lead, cheers",
    ])
    func ordinaryWordsAreNoName(request: String) {
        let found = creator.extract(from: request)
        #expect(found["firstName"] == .string("Anjali"))
        #expect(found["lastName"] == .string("Deshmukh"))
    }

    @Test func companyNamedLikeOne() {
        let found = creator.extract(from: "add a lead for Greenhollow Orchards, contact name is Martha Pruitt")
        #expect(found["lastName"] == .string("Pruitt"))
        #expect(found["companyName"] == .string("Greenhollow Orchards"))
    }

    /// "new" before the record's word is the record's, not a status, and "contact" before "name" labels the name: the
    /// status said later is the one meant, or none.
    @Test func wordsThatDescribeAnotherAreNoStatus() {
        let statuses = ListSpec(items: [
            ListItem(value: "Open - Not Contacted", synonyms: ["open", "new"]),
            ListItem(value: "Working - Contacted", synonyms: ["working", "contacted"]),
        ])
        let extractor = EntityExtractor(
            utterances: ["create a lead"], entities: [.init(name: "status", type: .list(statuses))], calendar: utc)
        #expect(
            extractor.extract(from: "new lead Jane Doe at Acme, contacted her twice already")["status"]
                == .string("Working - Contacted"))
        #expect(extractor.extract(from: "a lead for Greenhollow Orchards, contact name is Martha Pruitt")["status"] == nil)
        #expect(extractor.extract(from: "new lead Jane Doe, status new")["status"] == .string("Open - Not Contacted"))
    }

    /// Names typed in lowercase or capitals are capitalized as names are: "mcallister" is McAllister.
    @Test func namesAreCapitalized() {
        #expect(creator.extract(from: "new lead callum mcallister, speyside distillers ltd")["lastName"] == .string("McAllister"))
    }

    /// Two uncommon words in lowercase are only a name where a contact's details start, not inside a sentence.
    @Test func lowercaseNamesStartDetails() {
        #expect(creator.extract(from: "add a lead, we met them at the sendai cleanroom expo")["lastName"] == nil)
        #expect(creator.extract(from: "add a lead: sendai cleanroom")["lastName"] == .string("Cleanroom"))
    }
}

@Suite struct SlotIntroducerTests {
    static let calendar = RecognitionCalendar(now: Date(timeIntervalSince1970: 1_772_442_000), timeZone: TimeZone(identifier: "UTC")!)

    /// Words that only introduce a value ("called", "for") are not kept in a string slot.
    @Test(arguments: [
        ("create an opportunity called Big Deal", "Big Deal"),
        ("new opportunity named Project Charlie", "Project Charlie"),
        ("new opportunity Big Deal", "Big Deal"),
    ])
    func dropsIntroducers(_ utterance: String, _ expected: String) {
        let extractor = EntityExtractor(
            utterances: ["new opportunity {opportunityName}", "create an opportunity {opportunityName}"],
            entities: [.init(name: "opportunityName", type: .string)], calendar: Self.calendar)
        #expect(extractor.extract(from: utterance)["opportunityName"] == .string(expected))
    }
}
