import CivilTime
import Foundation
import ParleyJSON
import SalesforceWire

/// Turns a REST request body into field values for a create or an update, with Salesforce's errors.
struct RecordInput {
    enum Operation { case create, update }

    let schema: ObjectSchema
    let operation: Operation
    /// Whether a referenced record exists: `(object, id) -> Bool`.
    let exists: (String, String) -> Bool

    /// The canonical field names and normalized values of `body`, in the order checks run:
    /// unknown fields, then JSON types, then read-only fields, then values.
    func values(from body: JSONValue) throws(APIFailure) -> [String: JSONValue] {
        guard case .object(let members) = body else {
            throw APIFailure(
                status: 400, code: .jsonParserError,
                message:
                    "Cannot deserialize instance of \(schema.name) from \(Self.tokenName(body)) value or request may be missing a required field"
            )
        }
        var resolved: [(FieldDefinition, JSONValue)] = []
        for key in members.keys.sorted() where key != "attributes" {
            guard let field = schema.field(named: key) else {
                throw APIFailure(
                    status: 400, code: .invalidField, message: "No such column '\(key)' on sobject of type \(schema.name)")
            }
            if field.name == "Id", operation == .create {
                throw APIFailure(
                    status: 400, code: .invalidField, message: "The Id field should not be specified in the sobject data.")
            }
            resolved.append((field, members[key] ?? .null))
        }
        var values: [String: JSONValue] = [:]
        for (field, raw) in resolved {
            values[field.name] = try Self.convert(raw, for: field)
        }
        let readOnly = resolved.map(\.0).filter { field in
            guard field.name != "Id" else { return false }
            return operation == .create ? !field.createable : !field.updateable
        }
        if !readOnly.isEmpty {
            let names = readOnly.map(\.name)
            throw APIFailure(
                status: 400, code: .invalidFieldForInsertUpdate,
                message:
                    "Unable to create/update fields: \(names.joined(separator: ", ")). Please check the security settings of this field and verify that it is read/write for your profile or permission set.",
                fields: names)
        }
        values["Id"] = nil
        let missing = requiredFieldsMissing(in: values)
        if !missing.isEmpty {
            throw APIFailure(
                status: 400, code: .requiredFieldMissing,
                message: "Required fields are missing: [\(missing.joined(separator: ", "))]", fields: missing)
        }
        for field in resolved.map(\.0) {
            guard let value = values[field.name] else { continue }
            values[field.name] = try check(value, for: field)
        }
        return values
    }

    private func requiredFieldsMissing(in values: [String: JSONValue]) -> [String] {
        switch operation {
        case .create:
            return schema.requiredOnCreate.filter { name in
                guard let value = values[name] else { return true }
                return value == .null || value == .string("")
            }
        case .update:
            return schema.requiredOnCreate.filter { name in
                guard let value = values[name] else { return false }
                return value == .null || value == .string("")
            }
        }
    }

    /// Converts a JSON value to the field's stored form, or fails as Salesforce's JSON reader does.
    static func convert(_ raw: JSONValue, for field: FieldDefinition) throws(APIFailure) -> JSONValue {
        if raw == .null { return .null }
        func refuse() -> APIFailure {
            let shown: String
            switch raw {
            case .string(let text): shown = text
            case .number(let number): shown = JSONValue.format(number: number)
            case .bool(let flag): shown = flag ? "true" : "false"
            default: shown = raw.jsonText()
            }
            return APIFailure(
                status: 400, code: .jsonParserError,
                message:
                    "Cannot deserialize instance of \(field.type.soqlTypeName) from \(tokenName(raw)) value \(shown) or request may be missing a required field"
            )
        }
        switch field.type {
        case .id, .string, .textarea, .email, .phone, .url, .picklist, .reference:
            switch raw {
            case .string(let text): return .string(text)
            case .number(let number): return .string(JSONValue.format(number: number))
            case .bool(let flag): return .string(flag ? "true" : "false")
            default: throw refuse()
            }
        case .boolean:
            switch raw {
            case .bool: return raw
            case .string(let text) where text.lowercased() == "true": return .bool(true)
            case .string(let text) where text.lowercased() == "false": return .bool(false)
            default: throw refuse()
            }
        case .int, .double, .currency, .percent:
            let number: Double
            switch raw {
            case .number(let value): number = value
            case .string(let text):
                guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite else { throw refuse() }
                number = value
            default: throw refuse()
            }
            if field.type == .int, number != number.rounded() { throw refuse() }
            return .number(number)
        case .date:
            guard case .string(let text) = raw else { throw refuse() }
            if let day = SalesforceTime.parseDay(text) { return .string(day.isoText) }
            if let instant = SalesforceTime.parseDateTime(text) { return .string(SalesforceTime.dateText(instant)) }
            throw refuse()
        case .datetime:
            guard case .string(let text) = raw else { throw refuse() }
            if let instant = SalesforceTime.parseDateTime(text) { return .string(SalesforceTime.dateTimeText(instant)) }
            if let day = SalesforceTime.parseDay(text) { return .string(SalesforceTime.dateTimeText(day.startDate)) }
            throw refuse()
        }
    }

    /// Checks a converted value against the field's rules (length, picklist, email, range, references);
    /// returns it with references in their 18-character form.
    private func check(_ value: JSONValue, for field: FieldDefinition) throws(APIFailure) -> JSONValue {
        switch value {
        case .string(let text):
            if field.type == .reference || field.type == .id {
                return .string(try checkReference(text, field: field))
            }
            if field.length > 0, text.count > field.length {
                throw APIFailure(
                    status: 400, code: .stringTooLong,
                    message: "\(field.name): data value too large: \(text) (max length=\(field.length))",
                    fields: [field.name])
            }
            if field.type == .picklist, field.restrictedPicklist, !field.picklistValues.contains(text) {
                throw APIFailure(
                    status: 400, code: .invalidOrNullForRestrictedPicklist,
                    message: "\(field.name): bad value for restricted picklist field: \(text)", fields: [field.name])
            }
            if field.type == .email, !text.isEmpty, !Self.isEmailAddress(text) {
                throw APIFailure(
                    status: 400, code: .invalidEmailAddress, message: "\(field.name): invalid email address: \(text)",
                    fields: [field.name])
            }
        case .number(let number):
            let integerDigits = max(field.precision - field.scale, 1)
            if field.precision > 0, abs(number) >= pow(10, Double(integerDigits)) {
                throw APIFailure(
                    status: 400, code: ErrorCode(rawValue: "NUMBER_OUTSIDE_VALID_RANGE"),
                    message: "\(field.name): value outside of valid range on numeric field: \(JSONValue.format(number: number))",
                    fields: [field.name])
            }
        case .null:
            if field.type == .picklist, field.restrictedPicklist, !field.nillable {
                throw APIFailure(
                    status: 400, code: .invalidOrNullForRestrictedPicklist,
                    message: "\(field.name): bad value for restricted picklist field: ", fields: [field.name])
            }
        default:
            break
        }
        return value
    }

    private func checkReference(_ text: String, field: FieldDefinition) throws(APIFailure) -> String {
        guard let target = field.referenceTo.first, let targetSchema = ObjectSchema.named(target) else { return text }
        guard let recordID = RecordID(text), recordID.keyPrefix == targetSchema.keyPrefix else {
            throw APIFailure(
                status: 400, code: .malformedID,
                message: "\(field.label): id value of incorrect type: \(text)", fields: [field.name])
        }
        guard exists(targetSchema.name, recordID.value) else {
            throw APIFailure(
                status: 400, code: ErrorCode(rawValue: "INVALID_CROSS_REFERENCE_KEY"),
                message: "\(field.label): invalid cross reference id", fields: [field.name])
        }
        return recordID.value
    }

    /// `local@domain.tld` with no spaces, which is what Salesforce's check amounts to.
    static func isEmailAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !text.contains(where: \.isWhitespace) else { return false }
        let domainLabels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        return domainLabels.count >= 2 && domainLabels.allSatisfy { !$0.isEmpty }
    }

    /// The JSON token name Salesforce's parser reports for a value.
    static func tokenName(_ value: JSONValue) -> String {
        switch value {
        case .null: "VALUE_NULL"
        case .bool(let flag): flag ? "VALUE_TRUE" : "VALUE_FALSE"
        case .number(let number): number == number.rounded() ? "VALUE_NUMBER_INT" : "VALUE_NUMBER_FLOAT"
        case .string: "VALUE_STRING"
        case .array: "START_ARRAY"
        case .object: "START_OBJECT"
        }
    }
}
