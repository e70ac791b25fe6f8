public import Foundation
public import ParleyJSON
public import SalesforceSandbox
import Synchronization
import WebEncoding

/// Records in a sandbox, set up and checked the way a test does it: through the REST API, as the system app's
/// client-credentials user, reached in-process.
///
/// Its calls are the test's own, not the code under test's: a simulated outage (``Sandbox/faults``) never
/// refuses them.
public final class SandboxRecords: Sendable {
    public let sandbox: Sandbox
    /// The REST API version the calls use, such as `66.0`.
    public let apiVersion: String
    private let token = Mutex<String?>(nil)

    public init(sandbox: Sandbox, apiVersion: String) {
        self.sandbox = sandbox
        self.apiVersion = apiVersion
    }

    /// What the sandbox refused, with its status.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Adds a record and returns its id.
    public func insert(type: String, fields: [String: JSONValue]) async throws -> String {
        let response = try await rest("POST", "/sobjects/\(type)/", body: .object(fields))
        guard response.status == 201, let id = response.body["id"]?.stringValue else {
            throw Failure(description: "the sandbox did not create the \(type) (status \(response.status)): \(response.body.jsonText())")
        }
        return id
    }

    /// One record by id, with all its fields; `nil` when there is none.
    public func record(type: String, id: String) async throws -> JSONValue? {
        let response = try await rest("GET", "/sobjects/\(type)/\(PercentEncoding.component(id))")
        if response.status == 404 { return nil }
        guard response.status == 200 else {
            throw Failure(description: "the sandbox could not read \(type) \(id) (status \(response.status)): \(response.body.jsonText())")
        }
        return response.body
    }

    /// Records of a type whose fields equal the given plain values, newest first, with `Id` and the named fields.
    public func records(type: String, fields: [String], where conditions: [(String, JSONValue)]) async throws -> [JSONValue] {
        var soql = "SELECT Id" + fields.filter { $0 != "Id" }.map { ", " + $0 }.joined() + " FROM \(type)"
        let clauses = conditions.map { field, value in "\(field) = \(Self.soqlLiteral(value))" }
        if !clauses.isEmpty { soql += " WHERE " + clauses.joined(separator: " AND ") }
        soql += " ORDER BY CreatedDate DESC LIMIT 50"
        let response = try await rest("GET", "/query?q=" + PercentEncoding.component(soql))
        guard response.status == 200 else {
            throw Failure(description: "the sandbox could not query \(type) (status \(response.status)): \(response.body.jsonText())")
        }
        return response.body["records"]?.arrayValue ?? []
    }

    /// A value as a SOQL literal: numbers and booleans as JSON writes them, dates and date-times bare, and
    /// anything else quoted, with `\` and `'` escaped.
    public static func soqlLiteral(_ value: JSONValue) -> String {
        switch value {
        case .number, .bool:
            return value.jsonText()
        case .string(let text) where text.wholeMatch(of: dateLiteral) != nil:
            return text
        default:
            return "'" + value.displayText.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
        }
    }

    /// A date or date-time as SOQL writes it, compiled once (a regex literal is parsed at each use).
    nonisolated(unsafe) private static let dateLiteral = #/\d{4}-\d{2}-\d{2}(T[0-9:.]+Z)?/#

    private func rest(_ method: String, _ path: String, body: JSONValue? = nil) async throws -> (status: Int, body: JSONValue) {
        let faults = sandbox.faults
        sandbox.faults = FaultInjection()
        defer { sandbox.faults = faults }
        var request = InProcessRequest(
            method: method, url: sandbox.baseURL + "/services/data/v\(apiVersion)" + path,
            headers: [("Authorization", "Bearer " + (try await clientCredentialsToken()))])
        if let body {
            request.headers.append(("Content-Type", "application/json"))
            request.body = Data(body.jsonText().utf8)
        }
        let response = try await sandbox.respond(to: request)
        let text = String(decoding: response.body, as: UTF8.self)
        return (response.status, (try? JSONValue(parsing: text)) ?? .string(text))
    }

    private func clientCredentialsToken() async throws -> String {
        if let token = token.withLock({ $0 }) { return token }
        let app = try sandbox.systemApp()
        let form = [("grant_type", "client_credentials"), ("client_id", app.clientID), ("client_secret", app.clientSecret)]
        let response = try await sandbox.respond(
            to: InProcessRequest(
                method: "POST", url: sandbox.baseURL + "/services/oauth2/token",
                headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Data(FormEncoding.encode(form).utf8)))
        guard response.status == 200,
            let issued = (try? JSONValue(parsing: String(decoding: response.body, as: UTF8.self)))?["access_token"]?.stringValue
        else {
            // The body may hold secrets on success only; an error body is safe to describe by status.
            throw Failure(description: "the sandbox refused a client-credentials token (status \(response.status))")
        }
        token.withLock { $0 = issued }
        return issued
    }
}
