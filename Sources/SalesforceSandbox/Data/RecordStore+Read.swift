import ParleyJSON
import SalesforceWire

extension RecordStore {
    /// Record `id` of `type` as `GET /sobjects/<type>/<id>` returns it, with every field or only `fields`.
    ///
    /// - Throws: `APIFailure`: `NOT_FOUND`, `MALFORMED_ID`, `ENTITY_IS_DELETED`, or `INVALID_FIELD` for an
    ///   unknown name in `fields`.
    func retrieve(type: String, id: String, fields: [String]?, version: String) throws(APIFailure) -> JSONValue {
        guard let schema = ObjectSchema.named(type) else {
            throw APIFailure(status: 404, code: .notFound, message: "The requested resource does not exist")
        }
        let recordID = try resolve(id: id, schema: schema)
        var names = schema.fieldNames
        if let fields {
            names = try fields.map { (name: String) throws(APIFailure) -> String in
                guard let field = schema.field(named: name) else {
                    throw APIFailure(status: 400, code: .invalidField, message: SOQLMessages.noSuchColumn(name, schema.name))
                }
                return field.name
            }
            if !names.contains("Id") { names.insert("Id", at: 0) }
        }
        guard let record = storedRecord(type: schema.name, id: recordID) else {
            throw APIFailure(status: 404, code: .notFound, message: "The requested resource does not exist")
        }
        guard !record.isDeleted else { throw Self.entityIsDeleted }
        return render(record, fields: names, version: version)
    }

    /// The live records of `type` whose fields equal every value in `conditions`, rendered in full.
    ///
    /// Field names match case-insensitively; text compares exactly. For tests and transcripts.
    func records(ofType type: String, where conditions: [String: JSONValue] = [:]) -> [JSONValue] {
        guard let schema = ObjectSchema.named(type) else { return [] }
        let resolved = conditions.map { (schema.field(named: $0.key)?.name ?? $0.key, $0.value) }
        return snapshot(of: schema.name)
            .filter { record in !record.isDeleted && resolved.allSatisfy { record[$0.0] == $0.1 } }
            .map { render($0, fields: schema.fieldNames, version: APIVersion.newest) }
    }

    /// A record as JSON: `attributes {type, url}` and the named fields.
    func render(_ record: StoredRecord, fields: [String], version: String) -> JSONValue {
        var object: [String: JSONValue] = ["attributes": Self.attributes(type: record.type, id: record.id, version: version)]
        for name in fields { object[name] = record[name] }
        return .object(object)
    }

    static func attributes(type: String, id: String, version: String) -> JSONValue {
        ["type": .string(type), "url": .string("/services/data/v" + version + "/sobjects/" + type + "/" + id)]
    }
}
