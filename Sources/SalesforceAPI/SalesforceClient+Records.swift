import Foundation
public import ParleyJSON
public import SalesforceWire

extension SalesforceClient {
    /// The API versions the org serves (`GET /services/data/`, no authentication).
    public func versions() async throws -> [APIVersion] {
        let response = try await perform(.get, "/services/data/", authenticated: false)
        return try ResponseDecoding.decode([APIVersion].self, from: response)
    }

    /// Creates a record; sent once, never retried.
    /// - Throws: `SalesforceError` `.api` with e.g. `REQUIRED_FIELD_MISSING`, `INVALID_FIELD`, `DUPLICATES_DETECTED`.
    public func create(_ type: String, fields: [String: JSONValue]) async throws -> CreateResult {
        let type = try Self.validatedObjectName(type)
        let response = try await perform(.post, "\(dataPath)/sobjects/\(type)/", body: JSONValue.object(fields).jsonData)
        return try ResponseDecoding.decode(CreateResult.self, from: response)
    }

    /// A record's fields, all readable ones or only `fields`.
    public func retrieve(_ type: String, id: String, fields: [String]? = nil) async throws -> JSONValue {
        let path = "\(dataPath)/sobjects/\(try Self.validatedObjectName(type))/\(try Self.validatedRecordID(id))"
        let query = fields.map { [URLQueryItem(name: "fields", value: $0.joined(separator: ","))] } ?? []
        return try ResponseDecoding.json(from: try await perform(.get, path, query: query))
    }

    /// Changes the given fields of a record; the others stay as they are.
    public func update(_ type: String, id: String, fields: [String: JSONValue]) async throws {
        let path = "\(dataPath)/sobjects/\(try Self.validatedObjectName(type))/\(try Self.validatedRecordID(id))"
        try ResponseDecoding.expectSuccess(try await perform(.patch, path, body: JSONValue.object(fields).jsonData))
    }

    /// Deletes a record (it goes to the recycle bin).
    public func delete(_ type: String, id: String) async throws {
        let path = "\(dataPath)/sobjects/\(try Self.validatedObjectName(type))/\(try Self.validatedRecordID(id))"
        try ResponseDecoding.expectSuccess(try await perform(.delete, path))
    }

    /// An object's metadata: fields with types, lengths, picklist values and whether they are required.
    public func describe(_ type: String) async throws -> JSONValue {
        let path = "\(dataPath)/sobjects/\(try Self.validatedObjectName(type))/describe/"
        return try ResponseDecoding.json(from: try await perform(.get, path))
    }

    /// Who the token belongs to (`GET /services/oauth2/userinfo` on the instance).
    public func userInfo() async throws -> UserInfo {
        let response = try await perform(.get, "/services/oauth2/userinfo")
        return try ResponseDecoding.decode(UserInfo.self, from: response)
    }
}
