import Foundation
public import ParleyJSON
public import SalesforceWire

extension SalesforceClient {
    /// The first page of a SOQL query (up to 2,000 records); follow `nextRecordsUrl` with `nextPage(of:)`.
    /// - Parameter batchSize: records per page, 200 to 2,000 (a hint: Salesforce may send fewer).
    /// - Throws: `SalesforceError` `.api` with e.g. `MALFORMED_QUERY`, `INVALID_FIELD`, `INVALID_TYPE`.
    public func query(_ soql: String, batchSize: Int? = nil) async throws -> QueryResult {
        try await firstPage(soql, includeDeleted: false, batchSize: batchSize)
    }

    /// The first page of a SOQL query that includes deleted and archived records (`/queryAll`).
    public func queryAll(_ soql: String, batchSize: Int? = nil) async throws -> QueryResult {
        try await firstPage(soql, includeDeleted: true, batchSize: batchSize)
    }

    /// The page after `page`, or `nil` when it was the last.
    public func nextPage(of page: QueryResult) async throws -> QueryResult? {
        guard !page.done, let next = page.nextRecordsUrl else { return nil }
        return try ResponseDecoding.decode(QueryResult.self, from: try await perform(.get, next))
    }

    /// Every record of a SOQL query, following `nextRecordsUrl` page by page.
    public func queryAllPages(_ soql: String, includeDeleted: Bool = false, batchSize: Int? = nil) async throws
        -> [JSONValue]
    {
        var records: [JSONValue] = []
        for try await record in self.records(soql, includeDeleted: includeDeleted, batchSize: batchSize) {
            records.append(record)
        }
        return records
    }

    /// The records of a SOQL query as an async sequence that fetches each page only when it is reached.
    public func records(_ soql: String, includeDeleted: Bool = false, batchSize: Int? = nil) -> QueryRecords {
        QueryRecords(client: self, soql: soql, includeDeleted: includeDeleted, batchSize: batchSize)
    }

    func firstPage(_ soql: String, includeDeleted: Bool, batchSize: Int?) async throws -> QueryResult {
        let path = "\(dataPath)/\(includeDeleted ? "queryAll" : "query")"
        // Salesforce clamps the size itself; sending it as given keeps its error messages authoritative.
        let headers = batchSize.map { ["Sforce-Query-Options": "batchSize=\($0)"] } ?? [:]
        let response = try await perform(.get, path, query: [URLQueryItem(name: "q", value: soql)], headers: headers)
        return try ResponseDecoding.decode(QueryResult.self, from: response)
    }
}

/// The records of a SOQL query, fetched a page at a time as iteration reaches them.
public struct QueryRecords: AsyncSequence, Sendable {
    public typealias Element = JSONValue
    let client: SalesforceClient
    let soql: String
    let includeDeleted: Bool
    let batchSize: Int?

    public func makeAsyncIterator() -> Iterator {
        Iterator(client: client, soql: soql, includeDeleted: includeDeleted, batchSize: batchSize)
    }

    public struct Iterator: AsyncIteratorProtocol {
        let client: SalesforceClient
        let soql: String
        let includeDeleted: Bool
        let batchSize: Int?
        private var buffer: [JSONValue] = []
        private var position = 0
        private var page: QueryResult?
        private var started = false
        private var seenLocators: Set<String> = []

        init(client: SalesforceClient, soql: String, includeDeleted: Bool, batchSize: Int?) {
            self.client = client
            self.soql = soql
            self.includeDeleted = includeDeleted
            self.batchSize = batchSize
        }

        public mutating func next() async throws -> JSONValue? {
            while position >= buffer.count {
                let fetched: QueryResult?
                if !started {
                    started = true
                    fetched = try await client.firstPage(soql, includeDeleted: includeDeleted, batchSize: batchSize)
                } else if let page, !page.done, let next = page.nextRecordsUrl {
                    // A server that hands out the same locator twice would loop forever.
                    guard seenLocators.insert(next).inserted else {
                        throw SalesforceError.invalidResponse(
                            status: 200, snippet: "nextRecordsUrl \(next) was already followed")
                    }
                    fetched = try await client.nextPage(of: page)
                } else {
                    fetched = nil
                }
                guard let fetched else { return nil }
                page = fetched
                buffer = fetched.records
                position = 0
                if buffer.isEmpty && (fetched.done || fetched.nextRecordsUrl == nil) { return nil }
            }
            defer { position += 1 }
            return buffer[position]
        }
    }
}
