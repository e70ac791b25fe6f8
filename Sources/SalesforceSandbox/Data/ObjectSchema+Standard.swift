import SalesforceWire

extension ObjectSchema {
    /// The objects the sandbox serves, by name.
    static let standard: [String: ObjectSchema] = {
        var schemas: [String: ObjectSchema] = [:]
        for schema in [lead, opportunity, account, contact, user] { schemas[schema.name] = schema }
        return schemas
    }()

    /// The objects in the order `describeGlobal` lists them.
    static let ordered: [ObjectSchema] = [account, contact, lead, opportunity, user]

    /// The object named `name`, matched case-insensitively as SOQL and the REST paths do.
    static func named(_ name: String) -> ObjectSchema? {
        if let exact = standard[name] { return exact }
        let lowered = name.lowercased()
        return ordered.first { $0.name.lowercased() == lowered }
    }

    /// The object whose ids start with `prefix`.
    static func withKeyPrefix(_ prefix: String) -> ObjectSchema? {
        ordered.first { $0.keyPrefix == prefix }
    }

    static let lead = ObjectSchema(
        name: "Lead", label: "Lead", labelPlural: "Leads", keyPrefix: KeyPrefix.lead,
        fields: [
            .id(),
            .text("LastName", "Last Name", length: 80, required: true),
            .text("FirstName", "First Name", length: 40),
            .picklist("Salutation", "Salutation", StandardPicklists.salutation, length: 40),
            FieldDefinition(
                name: "Name", label: "Full Name", type: .string, length: 121, nillable: false, createable: false,
                updateable: false, nameField: true),
            .text("Title", "Title", length: 128),
            .text("Company", "Company", length: 255, required: true),
            .text("Street", "Street", length: 255, type: .textarea),
            .text("City", "City", length: 40),
            .text("State", "State/Province", length: 80),
            .text("PostalCode", "Zip/Postal Code", length: 20),
            .text("Country", "Country", length: 80),
            .text("Phone", "Phone", length: 40, type: .phone),
            .text("MobilePhone", "Mobile Phone", length: 40, type: .phone),
            .text("Email", "Email", length: 80, type: .email),
            .text("Website", "Website", length: 255, type: .url),
            .text("Description", "Description", length: 32000, type: .textarea),
            .picklist("LeadSource", "Lead Source", StandardPicklists.leadSource),
            .picklist(
                "Status", "Status", StandardPicklists.leadStatus, restricted: true, required: true,
                defaultValue: "Open - Not Contacted"),
            .picklist("Industry", "Industry", StandardPicklists.industry),
            .picklist("Rating", "Rating", StandardPicklists.rating),
            .number("AnnualRevenue", "Annual Revenue", .currency, precision: 18, scale: 0),
            .number("NumberOfEmployees", "Employees", .int, precision: 8, scale: 0),
            FieldDefinition(
                name: "IsConverted", label: "Converted", type: .boolean, nillable: false, createable: false,
                updateable: false, defaultedOnCreate: true, defaultValue: "false"),
        ] + FieldDefinition.auditFields(),
        requiredOnCreate: ["LastName", "Company"])

    static let opportunity = ObjectSchema(
        name: "Opportunity", label: "Opportunity", labelPlural: "Opportunities", keyPrefix: KeyPrefix.opportunity,
        fields: [
            .id(),
            .reference("AccountId", "Account ID", to: "Account", relationship: "Account"),
            FieldDefinition(name: "Name", label: "Name", type: .string, length: 120, nillable: false, nameField: true),
            .text("Description", "Description", length: 32000, type: .textarea),
            .picklist("StageName", "Stage", StandardPicklists.stageNames, restricted: true, required: true),
            .number("Amount", "Amount", .currency, precision: 18, scale: 2),
            .number("Probability", "Probability (%)", .percent, precision: 3, scale: 0),
            FieldDefinition(name: "CloseDate", label: "Close Date", type: .date, nillable: false),
            .picklist("Type", "Opportunity Type", StandardPicklists.opportunityType),
            .text("NextStep", "Next Step", length: 255),
            .picklist("LeadSource", "Lead Source", StandardPicklists.leadSource),
            FieldDefinition(
                name: "IsClosed", label: "Closed", type: .boolean, nillable: false, createable: false,
                updateable: false, defaultedOnCreate: true, defaultValue: "false"),
            FieldDefinition(
                name: "IsWon", label: "Won", type: .boolean, nillable: false, createable: false, updateable: false,
                defaultedOnCreate: true, defaultValue: "false"),
            .picklist(
                "ForecastCategoryName", "Forecast Category", StandardPicklists.forecastCategory, restricted: true),
        ] + FieldDefinition.auditFields(),
        requiredOnCreate: ["Name", "StageName", "CloseDate"])

    static let account = ObjectSchema(
        name: "Account", label: "Account", labelPlural: "Accounts", keyPrefix: KeyPrefix.account,
        fields: [
            .id(),
            FieldDefinition(name: "Name", label: "Account Name", type: .string, length: 255, nillable: false, nameField: true),
            .picklist("Type", "Account Type", StandardPicklists.accountType),
            .picklist("Industry", "Industry", StandardPicklists.industry),
            .text("AccountNumber", "Account Number", length: 40),
            .text("Phone", "Account Phone", length: 40, type: .phone),
            .text("Fax", "Account Fax", length: 40, type: .phone),
            .text("Website", "Website", length: 255, type: .url),
            .text("BillingStreet", "Billing Street", length: 255, type: .textarea),
            .text("BillingCity", "Billing City", length: 40),
            .text("BillingState", "Billing State/Province", length: 80),
            .text("BillingPostalCode", "Billing Zip/Postal Code", length: 20),
            .text("BillingCountry", "Billing Country", length: 80),
            .number("AnnualRevenue", "Annual Revenue", .currency, precision: 18, scale: 0),
            .number("NumberOfEmployees", "Employees", .int, precision: 8, scale: 0),
            .picklist("Rating", "Account Rating", StandardPicklists.rating),
            .text("Description", "Account Description", length: 32000, type: .textarea),
        ] + FieldDefinition.auditFields(),
        requiredOnCreate: ["Name"],
        children: [
            (object: "Contact", field: "AccountId", relationship: "Contacts"),
            (object: "Opportunity", field: "AccountId", relationship: "Opportunities"),
        ])

    static let contact = ObjectSchema(
        name: "Contact", label: "Contact", labelPlural: "Contacts", keyPrefix: KeyPrefix.contact,
        fields: [
            .id(),
            .reference("AccountId", "Account ID", to: "Account", relationship: "Account"),
            .text("LastName", "Last Name", length: 80, required: true),
            .text("FirstName", "First Name", length: 40),
            .picklist("Salutation", "Salutation", StandardPicklists.salutation, length: 40),
            FieldDefinition(
                name: "Name", label: "Full Name", type: .string, length: 121, nillable: false, createable: false,
                updateable: false, nameField: true),
            .text("Title", "Title", length: 128),
            .text("Department", "Department", length: 80),
            .text("Phone", "Business Phone", length: 40, type: .phone),
            .text("MobilePhone", "Mobile Phone", length: 40, type: .phone),
            .text("Email", "Email", length: 80, type: .email),
            .text("MailingCity", "Mailing City", length: 40),
            .text("MailingCountry", "Mailing Country", length: 80),
            .picklist("LeadSource", "Lead Source", StandardPicklists.leadSource),
            .text("Description", "Contact Description", length: 32000, type: .textarea),
        ] + FieldDefinition.auditFields(),
        requiredOnCreate: ["LastName"])

    static let user = ObjectSchema(
        name: "User", label: "User", labelPlural: "Users", keyPrefix: KeyPrefix.user,
        fields: [
            .id(),
            FieldDefinition(name: "Username", label: "Username", type: .string, length: 80, nillable: false),
            FieldDefinition(
                name: "Name", label: "Full Name", type: .string, length: 121, nillable: false, createable: false,
                updateable: false, nameField: true),
            .text("FirstName", "First Name", length: 40),
            FieldDefinition(name: "LastName", label: "Last Name", type: .string, length: 80, nillable: false),
            FieldDefinition(name: "Email", label: "Email", type: .email, length: 128, nillable: false),
            .text("Title", "Title", length: 80),
            FieldDefinition(
                name: "IsActive", label: "Active", type: .boolean, nillable: false, defaultedOnCreate: true,
                defaultValue: "true"),
        ],
        isWritable: false,
        requiredOnCreate: ["Username", "LastName", "Email"])
}
