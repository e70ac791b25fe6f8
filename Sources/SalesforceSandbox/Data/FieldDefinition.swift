/// One field of a sandbox object, with what `describe` reports and what validation enforces.
struct FieldDefinition: Sendable {
    var name: String
    var label: String
    var type: FieldType
    /// Maximum characters for text fields; 0 for other types.
    var length: Int = 0
    var precision: Int = 0
    var scale: Int = 0
    var nillable: Bool = true
    var createable: Bool = true
    var updateable: Bool = true
    var defaultedOnCreate: Bool = false
    var defaultValue: String? = nil
    var picklistValues: [String] = []
    var restrictedPicklist: Bool = false
    var referenceTo: [String] = []
    /// The parent relationship a SOQL query follows (`Account` for `AccountId`).
    var relationshipName: String? = nil
    var nameField: Bool = false
    var externalID: Bool = false
    var calculated: Bool = false

    /// A value the caller must give on create: not nillable, createable and not defaulted.
    var isRequired: Bool { !nillable && createable && !defaultedOnCreate }

    /// Whether SOSL searches the field when looking in the given group.
    func isSearched(in group: SearchGroup) -> Bool {
        switch group {
        case .all: type.isText && type != .id && type != .reference
        case .name: nameField || name == "FirstName" || name == "LastName" || name == "Company"
        case .email: type == .email
        case .phone: type == .phone
        }
    }
}

/// The field groups a SOSL search may look in.
enum SearchGroup: String, Sendable {
    case all = "ALL"
    case name = "NAME"
    case email = "EMAIL"
    case phone = "PHONE"
}

extension FieldDefinition {
    static func id() -> FieldDefinition {
        FieldDefinition(
            name: "Id", label: "Record ID", type: .id, length: 18, nillable: false, createable: false,
            updateable: false, defaultedOnCreate: true)
    }

    static func text(
        _ name: String, _ label: String, length: Int, required: Bool = false, type: FieldType = .string
    ) -> FieldDefinition {
        FieldDefinition(name: name, label: label, type: type, length: length, nillable: !required)
    }

    static func picklist(
        _ name: String, _ label: String, _ values: [String], restricted: Bool = false, required: Bool = false,
        defaultValue: String? = nil, length: Int = 255
    ) -> FieldDefinition {
        FieldDefinition(
            name: name, label: label, type: .picklist, length: length, nillable: !required,
            defaultedOnCreate: defaultValue != nil, defaultValue: defaultValue, picklistValues: values,
            restrictedPicklist: restricted)
    }

    static func number(_ name: String, _ label: String, _ type: FieldType, precision: Int, scale: Int) -> FieldDefinition {
        FieldDefinition(name: name, label: label, type: type, precision: precision, scale: scale)
    }

    static func reference(
        _ name: String, _ label: String, to target: String, relationship: String, required: Bool = false,
        createable: Bool = true, updateable: Bool = true, defaulted: Bool = false
    ) -> FieldDefinition {
        FieldDefinition(
            name: name, label: label, type: .reference, length: 18, nillable: !required, createable: createable,
            updateable: updateable, defaultedOnCreate: defaulted, referenceTo: [target], relationshipName: relationship)
    }

    static func readOnly(_ name: String, _ label: String, _ type: FieldType, length: Int = 0) -> FieldDefinition {
        FieldDefinition(
            name: name, label: label, type: type, length: length, nillable: type != .boolean, createable: false,
            updateable: false, defaultedOnCreate: true, calculated: false)
    }

    /// The owner and audit fields every sandbox object carries.
    static func auditFields() -> [FieldDefinition] {
        [
            reference("OwnerId", "Owner ID", to: "User", relationship: "Owner", required: true, defaulted: true),
            FieldDefinition(
                name: "IsDeleted", label: "Deleted", type: .boolean, nillable: false, createable: false,
                updateable: false, defaultedOnCreate: true),
            readOnly("CreatedDate", "Created Date", .datetime),
            reference(
                "CreatedById", "Created By ID", to: "User", relationship: "CreatedBy", createable: false,
                updateable: false, defaulted: true),
            readOnly("LastModifiedDate", "Last Modified Date", .datetime),
            reference(
                "LastModifiedById", "Last Modified By ID", to: "User", relationship: "LastModifiedBy",
                createable: false, updateable: false, defaulted: true),
            readOnly("SystemModstamp", "System Modstamp", .datetime),
        ]
    }
}
