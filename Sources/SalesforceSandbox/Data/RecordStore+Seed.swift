import CivilTime
import Foundation
import GRDB
import ParleyJSON
import Synchronization

extension RecordStore {
    /// Seeds the demo data when the org holds no records; returns whether it did.
    ///
    /// The data is the same on every run (a fixed generator); dates are spread around the clock's
    /// current time: 10 accounts, 30 opportunities linked to them, 50 leads and 15 contacts.
    @discardableResult
    func seedIfEmpty() throws -> Bool {
        let now = clock()
        // Checked inside the write, so two processes opening a new data file at once seed it once.
        return try database.write { db in
            try self.synchronize(db)
            let hasRecords = self.state.withLock { state in
                state.tables.contains { $0.key != ObjectSchema.user.name && !$0.value.records.isEmpty }
            }
            guard !hasRecords else { return false }
            try self.seedDemoRecords(now: now, in: db)
            return true
        }
    }

    /// Creates the demo records one by one, so later ones can refer to earlier ones.
    private func seedDemoRecords(now: Date, in db: Database) throws {
        var random = SeedGenerator(seed: 0x5041_524C_4559)
        let today = SalesforceTime.Day(now)
        func owner() -> SandboxUser { random.int(in: 0...9) < 8 ? SandboxUser.demo : SandboxUser.admin }
        func created(daysAgo: Int) -> Date {
            now.addingTimeInterval(-Double(daysAgo) * 86_400 - Double(random.int(in: 0...36_000)))
        }

        var accountIDs: [String] = []
        for account in DemoData.accounts {
            let slug = account.website.split(separator: ".").first.map(String.init) ?? "example"
            let record = try newRecord(
                type: "Account",
                body: [
                    "Name": .string(account.name), "Industry": .string(account.industry), "Type": .string(account.type),
                    "BillingCity": .string(account.city), "BillingState": .string(account.state),
                    "BillingCountry": .string(account.country), "NumberOfEmployees": .number(Double(account.employees)),
                    "AnnualRevenue": .number(Double(account.employees * random.int(in: 80...240) * 1000)),
                    "Website": .string("https://www.\(account.website)"),
                    "Phone": .string("(555) \(random.int(in: 200...899))-\(random.int(in: 1000...9999))"),
                    "Rating": .string(random.pick(StandardPicklists.rating)),
                    "Description": .string("\(slug.capitalized) account in \(account.city)."),
                ],
                as: owner(), createdAt: created(daysAgo: random.int(in: 120...400)), in: db)
            accountIDs.append(record.id)
            try save(record, in: db)
        }

        for index in 0..<30 {
            let accountIndex = index % accountIDs.count
            let stage = random.pick(OpportunityStage.standard)
            let closeOffset = stage.isClosed ? -random.int(in: 1...60) : random.int(in: -10...120)
            var body: JSONValue = [
                "Name": .string("\(DemoData.accounts[accountIndex].name) - \(random.pick(DemoData.opportunityProducts))"),
                "AccountId": .string(accountIDs[accountIndex]),
                "StageName": .string(stage.name),
                "CloseDate": .string(today.adding(days: closeOffset).isoText),
                "Amount": .number(Double(random.int(in: 5...250) * 1000)),
                "Type": .string(random.pick(StandardPicklists.opportunityType)),
                "LeadSource": .string(random.pick(StandardPicklists.leadSource)),
            ]
            if !stage.isClosed { body["NextStep"] = .string(random.pick(DemoData.nextSteps)) }
            let opportunity = try newRecord(
                type: "Opportunity", body: body, as: owner(), createdAt: created(daysAgo: random.int(in: 5...90)), in: db)
            try save(opportunity, in: db)
        }

        // No two demo leads share a name: a search for one finds one.
        var leadNames = Set<String>()
        for index in 0..<50 {
            var first = random.pick(DemoData.firstNames)
            var last = random.pick(DemoData.lastNames)
            while !leadNames.insert(first + " " + last).inserted {
                first = random.pick(DemoData.firstNames)
                last = random.pick(DemoData.lastNames)
            }
            let company = DemoData.leadCompanies[index % DemoData.leadCompanies.count]
            let place = random.pick(DemoData.places)
            let domain = company.lowercased().filter { $0.isLetter }.prefix(18)
            let local = (first.prefix(1) + last).lowercased().filter { $0.isLetter }
            let status = StandardPicklists.leadStatus[random.int(in: 0...9) < 5 ? 0 : random.int(in: 1...3)]
            var body: JSONValue = [
                "FirstName": .string(first), "LastName": .string(last), "Company": .string(company),
                "Title": .string(random.pick(DemoData.titles)), "Email": .string("\(local)@\(domain).example.com"),
                "Phone": .string("(555) \(random.int(in: 200...899))-\(random.int(in: 1000...9999))"),
                "Status": .string(status), "LeadSource": .string(random.pick(StandardPicklists.leadSource)),
                "Rating": .string(random.pick(StandardPicklists.rating)),
                "Industry": .string(random.pick(StandardPicklists.industry)),
                "City": .string(place.city), "Country": .string(place.country),
                "NumberOfEmployees": .number(Double(random.int(in: 5...5000))),
                "AnnualRevenue": .number(Double(random.int(in: 1...500) * 100_000)),
            ]
            if !place.state.isEmpty { body["State"] = .string(place.state) }
            if random.int(in: 0...3) == 0 { body["Salutation"] = .string(random.pick(StandardPicklists.salutation)) }
            let lead = try newRecord(
                type: "Lead", body: body, as: owner(), createdAt: created(daysAgo: random.int(in: 0...60)), in: db)
            try save(lead, in: db)
        }

        for index in 0..<15 {
            let first = random.pick(DemoData.firstNames)
            let last = random.pick(DemoData.lastNames)
            let accountIndex = index % accountIDs.count
            let domain = DemoData.accounts[accountIndex].website
            let local = (first + "." + last).lowercased().filter { $0.isLetter || $0 == "." }
            try save(
                try newRecord(
                    type: "Contact",
                    body: [
                        "FirstName": .string(first), "LastName": .string(last), "AccountId": .string(accountIDs[accountIndex]),
                        "Title": .string(random.pick(DemoData.titles)), "Email": .string("\(local)@\(domain)"),
                        "Phone": .string("(555) \(random.int(in: 200...899))-\(random.int(in: 1000...9999))"),
                        "MailingCity": .string(DemoData.accounts[accountIndex].city),
                    ],
                    as: owner(), createdAt: created(daysAgo: random.int(in: 10...200)), in: db), in: db)
        }
    }
}
