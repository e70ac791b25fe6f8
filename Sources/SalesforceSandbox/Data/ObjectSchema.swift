/// The definition of one sandbox object (Lead, Opportunity, ...): its fields and capabilities.
struct ObjectSchema: Sendable {
    var name: String
    var label: String
    var labelPlural: String
    var keyPrefix: String
    var fields: [FieldDefinition]
    /// Objects the REST API can create, update and delete; `User` is read-only.
    var isWritable: Bool = true
    /// The fields that must be given on create, in Salesforce's order for the error message.
    var requiredOnCreate: [String]
    /// Child relationships reported by `describe`: (child object, field, relationship name).
    var children: [(object: String, field: String, relationship: String)] = []

    private let fieldsByLowercasedName: [String: Int]

    init(
        name: String, label: String, labelPlural: String, keyPrefix: String, fields: [FieldDefinition],
        isWritable: Bool = true, requiredOnCreate: [String],
        children: [(object: String, field: String, relationship: String)] = []
    ) {
        self.name = name
        self.label = label
        self.labelPlural = labelPlural
        self.keyPrefix = keyPrefix
        self.fields = fields
        self.isWritable = isWritable
        self.requiredOnCreate = requiredOnCreate
        self.children = children
        var index: [String: Int] = [:]
        for (offset, field) in fields.enumerated() { index[field.name.lowercased()] = offset }
        fieldsByLowercasedName = index
    }

    /// The field named `name`, matched case-insensitively as Salesforce does.
    func field(named name: String) -> FieldDefinition? {
        fieldsByLowercasedName[name.lowercased()].map { fields[$0] }
    }

    /// The reference field whose relationship is `relationship` (`Account` → `AccountId`), case-insensitively.
    func relationship(named relationship: String) -> FieldDefinition? {
        let lowered = relationship.lowercased()
        return fields.first { $0.relationshipName?.lowercased() == lowered }
    }

    /// The field names in definition order.
    var fieldNames: [String] { fields.map(\.name) }
}
