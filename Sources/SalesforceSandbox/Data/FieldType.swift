/// The Salesforce field types the sandbox models, named as `describe` names them.
enum FieldType: String, Sendable {
    case id, string, textarea, email, phone, url, picklist, boolean, int, double, currency, percent, date
    case datetime, reference

    /// The SOAP type `describe` reports for the field type.
    var soapType: String {
        switch self {
        case .id, .reference: "tns:ID"
        case .boolean: "xsd:boolean"
        case .int: "xsd:int"
        case .double, .currency, .percent: "xsd:double"
        case .date: "xsd:date"
        case .datetime: "xsd:dateTime"
        default: "xsd:string"
        }
    }

    /// Whether values are text: compared case-insensitively and searchable.
    var isText: Bool {
        switch self {
        case .id, .string, .textarea, .email, .phone, .url, .picklist, .reference: true
        default: false
        }
    }

    /// Whether values are numbers.
    var isNumeric: Bool {
        switch self {
        case .int, .double, .currency, .percent: true
        default: false
        }
    }

    /// The name SOQL uses when a literal of the wrong kind is compared with the field.
    var soqlTypeName: String {
        switch self {
        case .int: "int"
        case .double, .currency, .percent: "double"
        case .boolean: "boolean"
        case .date: "date"
        case .datetime: "dateTime"
        case .id, .reference: "id"
        default: "string"
        }
    }
}
