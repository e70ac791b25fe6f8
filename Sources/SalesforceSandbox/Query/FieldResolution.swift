import ParleyJSON
import SalesforceWire

/// A field path checked against the schema: the references to follow, then the field to read.
struct ResolvedField: Sendable {
    /// Canonical names as they appear in results: `["Account", "Name"]` or `["Name"]`.
    var outputPath: [String]
    /// Each hop: the reference field on the current object and the object it points to.
    var hops: [(reference: FieldDefinition, target: ObjectSchema)]
    var field: FieldDefinition

    /// The value in `record`, following references through `tables`; `null` when a link is empty.
    func value(in record: StoredRecord, tables: [String: RecordTable]) -> JSONValue {
        var current = record
        for hop in hops {
            guard case .string(let id) = current[hop.reference.name],
                let parent = tables[hop.target.name]?.record(id: id)
            else { return .null }
            current = parent
        }
        return current[field.name]
    }

    /// Resolves `path` on `schema`, case-insensitively.
    ///
    /// - Throws: `APIFailure` `INVALID_FIELD` naming the unknown column or relationship, at the path's position.
    static func resolve(_ path: SOQLQuery.FieldPath, on schema: ObjectSchema, source: String) throws(APIFailure)
        -> ResolvedField
    {
        var current = schema
        var hops: [(reference: FieldDefinition, target: ObjectSchema)] = []
        var output: [String] = []
        for relationship in path.parts.dropLast() {
            guard let reference = current.relationship(named: relationship),
                let targetName = reference.referenceTo.first, let target = ObjectSchema.named(targetName)
            else {
                throw APIFailure(
                    status: 400, code: .invalidField,
                    message: SOQLMessages.located(
                        source, at: path.position,
                        "Didn't understand relationship '\(relationship)' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names."
                    ))
            }
            hops.append((reference, target))
            output.append(reference.relationshipName ?? relationship)
            current = target
        }
        let name = path.parts.last ?? ""
        guard let field = current.field(named: name) else {
            throw SOQLMessages.invalidField(source, at: path.position, path.text, current.name)
        }
        output.append(field.name)
        return ResolvedField(outputPath: output, hops: hops, field: field)
    }
}
