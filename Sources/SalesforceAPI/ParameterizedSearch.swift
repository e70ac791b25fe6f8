/// A parameterized search (`GET /parameterizedSearch/`): plain search text with options instead of SOSL.
public struct ParameterizedSearch: Sendable, Hashable {
    /// One object to search and what to return from it.
    public struct Object: Sendable, Hashable {
        public var name: String
        public var fields: [String]
        public var limit: Int?

        public init(_ name: String, fields: [String] = [], limit: Int? = nil) {
            self.name = name
            self.fields = fields
            self.limit = limit
        }
    }

    /// The search text; SOSL clauses are not allowed.
    public var text: String
    public var objects: [Object]
    /// Which fields to search: `ALL`, `NAME`, `EMAIL`, `PHONE` or `SIDEBAR`.
    public var scope: String?
    /// Fields returned for objects that do not list their own.
    public var fields: [String]
    public var overallLimit: Int?
    public var defaultLimit: Int?
    public var spellCorrection: Bool?

    public init(
        _ text: String, objects: [Object] = [], scope: String? = nil, fields: [String] = [], overallLimit: Int? = nil,
        defaultLimit: Int? = nil, spellCorrection: Bool? = nil
    ) {
        self.text = text
        self.objects = objects
        self.scope = scope
        self.fields = fields
        self.overallLimit = overallLimit
        self.defaultLimit = defaultLimit
        self.spellCorrection = spellCorrection
    }

    /// The query parameters, in Salesforce's names.
    var parameters: [(String, String)] {
        var result: [(String, String)] = [("q", text)]
        if let scope { result.append(("in", scope)) }
        if !fields.isEmpty { result.append(("fields", fields.joined(separator: ","))) }
        for object in objects {
            result.append(("sobject", object.name))
            if !object.fields.isEmpty { result.append(("\(object.name).fields", object.fields.joined(separator: ","))) }
            if let limit = object.limit { result.append(("\(object.name).limit", String(limit))) }
        }
        if let overallLimit { result.append(("overallLimit", String(overallLimit))) }
        if let defaultLimit { result.append(("defaultLimit", String(defaultLimit))) }
        if let spellCorrection { result.append(("spellCorrection", String(spellCorrection))) }
        return result
    }
}
