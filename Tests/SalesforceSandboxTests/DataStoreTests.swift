import CivilTime
import Foundation
import GRDB
import ParleyJSON
import SalesforceWire
import Testing

@testable import SalesforceSandbox

/// The record store without HTTP: users, seed data, persistence, ids and concurrency.
struct DataStoreTests {
    /// The built-in users sign in with their passwords only; usernames ignore case; passwords are stored hashed.
    @Test func builtInUsers() throws {
        let store = try DataFixture.store(seeded: false)
        #expect(store.verifyPassword(username: "demo@parley.dev", password: "parley-demo") == SandboxUser.demo)
        #expect(store.verifyPassword(username: "ADMIN@parley.dev", password: "parley-admin")?.isAdmin == true)
        #expect(store.verifyPassword(username: "demo@parley.dev", password: "parley-admin") == nil)
        #expect(store.verifyPassword(username: "nobody@parley.dev", password: "parley-demo") == nil)
        #expect(store.user(id: String(SandboxUser.demo.id.prefix(15)))?.username == "demo@parley.dev")
        #expect(SandboxUser.demo.id.hasPrefix("005") && SandboxUser.demo.organizationID.hasPrefix("00D"))
        let stored = try store.database.read { db in
            try String.fetchAll(db, sql: "SELECT password_hash FROM sandbox_users")
        }
        #expect(stored.count == 2 && !stored.contains("parley-demo") && stored.allSatisfy { $0.count == 64 })
    }

    /// The seed is deterministic and varied: the same records on every run, with the expected counts.
    @Test func seedIsDeterministic() throws {
        let first = try DataFixture.store()
        let second = try DataFixture.store()
        #expect(first.records(ofType: "Lead") == second.records(ofType: "Lead"))
        #expect(first.records(ofType: "Lead").count == 50)
        #expect(first.records(ofType: "Opportunity").count == 30)
        #expect(first.records(ofType: "Account").count == 10)
        #expect(first.records(ofType: "Contact").count == 15)
        let statuses = Set(first.records(ofType: "Lead").compactMap { $0["Status"]?.stringValue })
        #expect(statuses.count >= 3)
        let stages = Set(first.records(ofType: "Opportunity").compactMap { $0["StageName"]?.stringValue })
        #expect(stages.count >= 5)
        #expect(first.records(ofType: "Opportunity").allSatisfy { $0["AccountId"]?.stringValue?.hasPrefix("001") == true })
        #expect(try first.seedIfEmpty() == false)
    }

    /// Records survive closing and reopening a file-backed database, and new ids do not collide with old ones.
    @Test func persistsAcrossRestarts() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var firstID = ""
        do {
            let store = try RecordStore(database: try DatabasePool(path: path), clock: { DataFixture.now })
            firstID = try store.insert(type: "Lead", fields: ["LastName": "Kept", "Company": "Disk"])
            try await store.update(type: "Lead", id: firstID, body: ["Title": "Archivist"], as: .demo)
        }
        let reopened = try RecordStore(database: try DatabasePool(path: path), clock: { DataFixture.now })
        let lead = try #require(reopened.records(ofType: "Lead").first)
        #expect(lead["Id"] == .string(firstID) && lead["Title"] == "Archivist")
        let secondID = try reopened.insert(type: "Lead", fields: ["LastName": "New", "Company": "Disk"])
        #expect(secondID != firstID)
        #expect(reopened.verifyPassword(username: "demo@parley.dev", password: "parley-demo") != nil)
    }

    /// Reset removes created records and brings back the seed.
    @Test func resetRestoresSeed() throws {
        let store = try DataFixture.store()
        try store.insert(type: "Lead", fields: ["LastName": "Extra", "Company": "Temp"])
        #expect(store.records(ofType: "Lead").count == 51)
        try store.reset()
        #expect(store.records(ofType: "Lead").count == 50)
        #expect(store.records(ofType: "Lead", where: ["LastName": "Extra"]).isEmpty)
    }

    /// Concurrent creates and updates all land, with unique ids, in memory and on disk alike.
    @Test func concurrentWrites() async throws {
        let store = try DataFixture.store(seeded: false)
        let ids = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<200 {
                group.addTask {
                    let id = try await store.create(
                        type: "Lead", body: ["LastName": .string("C\(index)"), "Company": "Parallel"], as: .demo)
                    try await store.update(type: "Lead", id: id, body: ["Title": .string("T\(index)")], as: .demo)
                    return id
                }
            }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(Set(ids).count == 200)
        #expect(store.records(ofType: "Lead").filter { $0["Title"]?.stringValue?.hasPrefix("T") == true }.count == 200)
        let onDisk = try await store.database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sandbox_records") }
        #expect(onDisk == 200)
    }

    /// Datetimes print as Salesforce does and parse from the forms clients send.
    @Test func datetimeText() throws {
        #expect(SalesforceTime.dateTimeText(DataFixture.now) == "2026-03-18T12:00:00.000+0000")
        #expect(SalesforceTime.parseDateTime("2026-03-18T14:00:00.000+02:00") == DataFixture.now)
        #expect(SalesforceTime.parseDateTime("2026-03-18T12:00:00Z") == DataFixture.now)
        #expect(SalesforceTime.parseDateTime("2026-03-18T12:00:00.000+0000") == DataFixture.now)
        #expect(SalesforceTime.parseDateTime("2026-03-18") == nil)
        #expect(SalesforceTime.parseDay("2024-02-29") != nil && SalesforceTime.parseDay("2025-02-29") == nil)
        #expect(SalesforceTime.Day(DataFixture.now).weekday == 3)
    }

    /// Release names follow Salesforce's three-a-year cycle.
    @Test func versionLabels() {
        #expect(SandboxAPIVersions.label(31) == "Summer '14")
        #expect(SandboxAPIVersions.label(32) == "Winter '15")
        #expect(SandboxAPIVersions.label(33) == "Spring '15")
        #expect(SandboxAPIVersions.label(64) == "Summer '25")
        #expect(SandboxAPIVersions.label(66) == "Spring '26")
        #expect(SandboxAPIVersions.resolve("latest") == .served("66.0"))
        #expect(SandboxAPIVersions.resolve("v25.0") == .retired)
        #expect(SandboxAPIVersions.resolve("v66") == .unknown)
    }
}
