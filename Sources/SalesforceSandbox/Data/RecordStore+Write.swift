import Foundation
import GRDB
import ParleyJSON
import SalesforceWire

extension RecordStore {
    /// Creates a record of `type` from a REST body on behalf of `user`; returns the new 18-character id.
    ///
    /// - Throws: `APIFailure` with Salesforce's error array when the body is refused.
    func create(type: String, body: JSONValue, as user: SandboxUser) async throws -> String {
        try await database.write { db in
            try self.synchronize(db)
            let record = try self.newRecord(type: type, body: body, as: user, in: db)
            try self.save(record, in: db)
            return record.id
        }
    }

    /// Creates a record without HTTP, validated like a REST create; for seeding and tests.
    ///
    /// - Parameters:
    ///   - type: `Lead`, `Opportunity`, `Account` or `Contact`.
    ///   - fields: Field values as a REST body would carry them.
    ///   - owner: The owning user's id; the demo user when `nil`.
    /// - Returns: The new record's 18-character id.
    @discardableResult
    func insert(type: String, fields: [String: JSONValue], owner: String? = nil) throws -> String {
        let user = owner.flatMap { self.user(id: $0) } ?? SandboxUser.demo
        return try database.write { db in
            try self.synchronize(db)
            let record = try self.newRecord(type: type, body: .object(fields), as: user, in: db)
            try self.save(record, in: db)
            return record.id
        }
    }

    /// Applies a REST PATCH body to record `id` of `type`.
    func update(type: String, id: String, body: JSONValue, as user: SandboxUser) async throws {
        let schema = try writableSchema(type)
        let recordID = try resolve(id: id, schema: schema)
        let values = try input(schema, .update).values(from: body)
        let now = SalesforceTime.dateTimeText(clock())
        try await database.write { db in
            // Read inside the write, after catching up with other processes, so concurrent updates of one
            // record apply in order.
            try self.synchronize(db)
            guard var record = self.storedRecord(type: schema.name, id: recordID) else {
                throw APIFailure(status: 404, code: .notFound, message: "The requested resource does not exist")
            }
            guard !record.isDeleted else { throw Self.entityIsDeleted }
            for (name, value) in values { record.fields[name] = value }
            Self.derive(&record, schema: schema, given: Set(values.keys))
            record.fields["LastModifiedDate"] = .string(now)
            record.fields["SystemModstamp"] = .string(now)
            record.fields["LastModifiedById"] = .string(user.id)
            try self.save(record, in: db)
        }
    }

    /// Moves record `id` of `type` to the recycle bin: `query` no longer sees it, `queryAll` does.
    func delete(type: String, id: String, as user: SandboxUser) async throws {
        let schema = try writableSchema(type)
        let recordID = try resolve(id: id, schema: schema)
        let now = SalesforceTime.dateTimeText(clock())
        try await database.write { db in
            try self.synchronize(db)
            guard var record = self.storedRecord(type: schema.name, id: recordID) else {
                throw APIFailure(status: 404, code: .notFound, message: "The requested resource does not exist")
            }
            guard !record.isDeleted else { throw Self.entityIsDeleted }
            record.fields["IsDeleted"] = .bool(true)
            record.fields["LastModifiedDate"] = .string(now)
            record.fields["SystemModstamp"] = .string(now)
            record.fields["LastModifiedById"] = .string(user.id)
            try self.save(record, in: db)
        }
    }

    static let entityIsDeleted = APIFailure(status: 404, code: .entityIsDeleted, message: "entity is deleted", fields: [])

    /// The schema of an object the REST API may write, or Salesforce's answer for an unknown one.
    func writableSchema(_ type: String) throws(APIFailure) -> ObjectSchema {
        guard let schema = ObjectSchema.named(type) else {
            throw APIFailure(status: 404, code: .notFound, message: "The requested resource does not exist")
        }
        guard schema.isWritable else {
            throw APIFailure(
                status: 400, code: ErrorCode(rawValue: "INSUFFICIENT_ACCESS_OR_READONLY"),
                message: "insufficient access rights on object id")
        }
        return schema
    }

    /// The 18-character id for `text` when it names a record of `schema`'s type.
    ///
    /// Ids of another object are `MALFORMED_ID`; text that is no id at all is looked up as an
    /// external id and is `NOT_FOUND`, as Salesforce answers.
    func resolve(id text: String, schema: ObjectSchema) throws(APIFailure) -> String {
        guard let recordID = RecordID(text) else {
            throw APIFailure(
                status: 404, code: .notFound,
                message: "Provided external ID field does not exist or is not accessible: \(text)")
        }
        guard recordID.keyPrefix == schema.keyPrefix else {
            throw APIFailure(
                status: 400, code: .malformedID, message: "\(schema.label) ID: id value of incorrect type: \(text)",
                fields: ["Id"])
        }
        return recordID.value
    }

    private func input(_ schema: ObjectSchema, _ operation: RecordInput.Operation) -> RecordInput {
        RecordInput(schema: schema, operation: operation) { [self] type, id in
            guard let record = storedRecord(type: type, id: id) else { return false }
            return !record.isDeleted
        }
    }

    /// A validated, not yet saved record with an id from the data file; `createdAt` back-dates seed data.
    func newRecord(
        type: String, body: JSONValue, as user: SandboxUser, createdAt: Date? = nil, in db: Database
    ) throws -> StoredRecord {
        let schema = try writableSchema(type)
        let values = try input(schema, .create).values(from: body)
        let now = SalesforceTime.dateTimeText(createdAt ?? clock())
        let (id, sequence) = try allocateID(for: schema, in: db)
        var fields: [String: JSONValue] = [:]
        for field in schema.fields {
            if let value = field.defaultValue, field.type == .boolean {
                fields[field.name] = .bool(value == "true")
            } else if let value = field.defaultValue {
                fields[field.name] = .string(value)
            } else {
                fields[field.name] = .null
            }
        }
        for (name, value) in values where value != .null { fields[name] = value }
        fields["Id"] = .string(id)
        fields["IsDeleted"] = .bool(false)
        if fields["OwnerId"] == .null { fields["OwnerId"] = .string(user.id) }
        fields["CreatedById"] = .string(user.id)
        fields["LastModifiedById"] = .string(user.id)
        fields["CreatedDate"] = .string(now)
        fields["LastModifiedDate"] = .string(now)
        fields["SystemModstamp"] = .string(now)
        var record = StoredRecord(id: id, type: schema.name, sequence: sequence, fields: fields)
        Self.derive(&record, schema: schema, given: Set(values.keys))
        return record
    }

    /// Fills the fields Salesforce computes: compound names and the opportunity stage defaults.
    static func derive(
        _ record: inout StoredRecord, schema: ObjectSchema, given: Set<String>
    ) {
        switch schema.name {
        case ObjectSchema.lead.name, ObjectSchema.contact.name:
            let parts = [record["FirstName"], record["LastName"]].compactMap(\.stringValue).filter { !$0.isEmpty }
            record.fields["Name"] = .string(parts.joined(separator: " "))
        case ObjectSchema.opportunity.name:
            guard let stageName = record["StageName"].stringValue, let stage = OpportunityStage.named(stageName)
            else { return }
            let stageChanged = given.contains("StageName")
            if stageChanged, !given.contains("Probability") { record.fields["Probability"] = .number(stage.probability) }
            if stageChanged, !given.contains("ForecastCategoryName") {
                record.fields["ForecastCategoryName"] = .string(stage.forecastCategory)
            }
            record.fields["IsClosed"] = .bool(stage.isClosed)
            record.fields["IsWon"] = .bool(stage.isWon)
        default:
            return
        }
    }
}
