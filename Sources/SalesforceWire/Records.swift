public import ParleyJSON

/// `POST /sobjects/<Type>/` success: `{"id": "...", "success": true, "errors": []}`.
public struct CreateResult: Codable, Sendable, Hashable {
    public var id: String
    public var success: Bool
    public var errors: [APIErrorItem]

    public init(id: String, success: Bool = true, errors: [APIErrorItem] = []) {
        self.id = id
        self.success = success
        self.errors = errors
    }
}

/// A page of SOQL results. Records stay JSON: their fields depend on the query.
public struct QueryResult: Codable, Sendable, Hashable {
    public var totalSize: Int
    public var done: Bool
    /// `/services/data/vXX.X/query/<locator>` when `done` is false.
    public var nextRecordsUrl: String?
    public var records: [JSONValue]

    public init(totalSize: Int, done: Bool, nextRecordsUrl: String? = nil, records: [JSONValue]) {
        self.totalSize = totalSize
        self.done = done
        self.nextRecordsUrl = nextRecordsUrl
        self.records = records
    }
}

/// A SOSL result (API 36.0 and later): `{"searchRecords": [...]}`.
public struct SearchResult: Codable, Sendable, Hashable {
    public var searchRecords: [JSONValue]

    public init(searchRecords: [JSONValue]) {
        self.searchRecords = searchRecords
    }
}

/// One entry of `GET /services/data/`.
public struct APIVersion: Codable, Sendable, Hashable {
    public var label: String
    public var url: String
    public var version: String

    public init(label: String, url: String, version: String) {
        self.label = label
        self.url = url
        self.version = version
    }

    /// The oldest and newest versions the sandbox serves and the client asks for by default.
    public static let oldest = "31.0"
    public static let newest = "66.0"
}

/// The `attributes` member every record carries: `{"type": "Lead", "url": "/services/data/v66.0/sobjects/Lead/00Q..."}`.
public struct RecordAttributes: Codable, Sendable, Hashable {
    public var type: String
    public var url: String?

    public init(type: String, url: String?) {
        self.type = type
        self.url = url
    }
}

/// Header names both sides agree on.
public enum SalesforceHeader {
    /// `api-usage=18/15000`.
    public static let limitInfo = "Sforce-Limit-Info"
}
