import Foundation
public import ParleyJSON
import SalesforceWire

extension SalesforceClient {
    /// The records a SOSL search finds (`FIND {Acme} IN ALL FIELDS RETURNING Lead(Id, Name)`).
    ///
    /// Reads both `{"searchRecords": [...]}` and the bare array that API versions before 36.0 answer.
    /// - Throws: `SalesforceError` `.api` with e.g. `MALFORMED_SEARCH`.
    public func search(_ sosl: String) async throws -> [JSONValue] {
        let response = try await perform(.get, "\(dataPath)/search/", query: [URLQueryItem(name: "q", value: sosl)])
        return try Self.searchRecords(in: response)
    }

    /// The records a parameterized search finds.
    public func parameterizedSearch(_ search: ParameterizedSearch) async throws -> [JSONValue] {
        for object in search.objects { _ = try Self.validatedObjectName(object.name) }
        let query = search.parameters.map { URLQueryItem(name: $0.0, value: $0.1) }
        let response = try await perform(.get, "\(dataPath)/parameterizedSearch/", query: query)
        return try Self.searchRecords(in: response)
    }

    static func searchRecords(in response: RawResponse) throws -> [JSONValue] {
        let body = try ResponseDecoding.json(from: response)
        if let records = body.arrayValue { return records }
        if let records = body["searchRecords"]?.arrayValue { return records }
        throw SalesforceError.invalidResponse(
            status: response.status, snippet: "no searchRecords in \(ResponseDecoding.snippet(of: response.body))")
    }
}
