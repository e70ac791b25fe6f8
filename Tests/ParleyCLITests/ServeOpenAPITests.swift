import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import ParleyJSON
import Testing
import Yams

extension ServeChannelTests {
    /// `docs/openapi.yaml` describes what `parley serve` does: every documented operation answers with a documented
    /// status and, for JSON, a body of the documented shape; what is not documented is not served.
    @Suite struct OpenAPI {
        static let specPath = Build.packageRoot.appendingPathComponent("docs/openapi.yaml")

        /// A request for each operation, with what it is expected to show.
        struct Probe {
            var method: HTTPMethod
            var path: String
            var template: String
            var body: String? = nil
            var secret: String? = ServeServer.webSecret
        }

        static let probes: [Probe] = [
            Probe(method: .POST, path: "/v1/users/oa/messages", template: "/v1/users/{user}/messages", body: #"{"text":"help"}"#),
            Probe(method: .POST, path: "/v1/users/oa/messages", template: "/v1/users/{user}/messages", body: #"{"txt":"help"}"#),
            Probe(
                method: .POST, path: "/v1/users/oa/messages", template: "/v1/users/{user}/messages", body: #"{"text":"help"}"#,
                secret: nil),
            Probe(method: .GET, path: "/v1/users/oa/events?wait=0", template: "/v1/users/{user}/events"),
            Probe(method: .GET, path: "/v1/users/oa/events?after=x", template: "/v1/users/{user}/events"),
            Probe(method: .GET, path: "/v1/users/oa/events", template: "/v1/users/{user}/events", secret: nil),
            Probe(method: .POST, path: "/v1/users/oa/events/ack", template: "/v1/users/{user}/events/ack", body: #"{"upTo":0}"#),
            Probe(method: .POST, path: "/v1/users/oa/events/ack", template: "/v1/users/{user}/events/ack", body: #"{}"#),
            Probe(method: .GET, path: "/v1/users/oa/stream", template: "/v1/users/{user}/stream"),
            Probe(method: .GET, path: "/healthz", template: "/healthz", secret: nil),
            Probe(method: .GET, path: "/readyz", template: "/readyz", secret: nil),
            Probe(method: .GET, path: "/metrics", template: "/metrics", secret: nil),
            Probe(method: .GET, path: "/chat", template: "/chat", secret: nil),
            Probe(method: .GET, path: "/oauth/callback", template: "/oauth/callback", secret: nil),
            Probe(method: .GET, path: "/a/no-such-link", template: "/a/{link}", secret: nil),
        ]

        /// Each documented operation is probed, and each answer matches its documented status, media type and schema.
        @Test func servedRoutesMatchTheSpecification() async throws {
            let spec = try #require(try Yams.load(yaml: String(contentsOf: Self.specPath, encoding: .utf8)) as? [String: Any])
            #expect(spec["openapi"] as? String == "3.1.0")
            let paths = try #require(spec["paths"] as? [String: Any])
            let documented = Set(
                paths.flatMap { path, item in ((item as? [String: Any]) ?? [:]).keys.map { "\($0.uppercased()) \(path)" } })
            let probed = Set(Self.probes.map { "\($0.method.rawValue) \($0.template)" })
            #expect(documented == probed, "every documented operation is probed, and only those")

            let state = try Build.temporaryFolder()
            defer { try? FileManager.default.removeItem(at: state) }
            try await ServeServer.with(state: state) { server in
                for probe in Self.probes {
                    let operation = try #require(
                        (paths[probe.template] as? [String: Any])?[probe.method.rawValue.lowercased()] as? [String: Any])
                    let responses = try #require(operation["responses"] as? [String: Any])
                    let (status, contentType, text) = try await Self.exchange(probe, server: server)
                    let label = "\(probe.method.rawValue) \(probe.path)"
                    guard let documentedResponse = responses[String(status)] else {
                        Issue.record("\(label) answered \(status), which is not documented: \(text.prefix(200))")
                        continue
                    }
                    let response = Self.resolve(documentedResponse, in: spec)
                    guard let content = response["content"] as? [String: Any] else { continue }
                    let mediaType = contentType.split(separator: ";").first.map(String.init) ?? ""
                    let media = try #require(content[mediaType] as? [String: Any], "\(label): \(mediaType) is not documented")
                    if mediaType == "application/json", let schema = media["schema"] {
                        let value = try JSONValue(parsing: text)
                        let problems = Self.check(value, against: schema, in: spec, at: "body")
                        #expect(problems.isEmpty, "\(label): \(problems)")
                    }
                }
                // Nothing undocumented is served.
                for path in ["/v1/users/oa", "/v1/users/oa/context", "/v2/users/oa/messages", "/admin"] {
                    let reply = try await server.send(.GET, path)
                    #expect(reply.status == 404, "\(path) answered \(reply.status)")
                }
            }
        }

        /// Sends a probe; for an event stream, only the head is read.
        static func exchange(_ probe: Probe, server: ServeServer) async throws -> (Int, String, String) {
            var request = HTTPClientRequest(url: server.baseURL + probe.path)
            request.method = probe.method
            if let secret = probe.secret { request.headers.add(name: "Authorization", value: "Bearer \(secret)") }
            if let body = probe.body { request.body = .bytes(.init(string: body)) }
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
            let contentType = response.headers.first(name: "Content-Type") ?? ""
            if contentType.hasPrefix("text/event-stream") { return (Int(response.status.code), contentType, "") }
            let body = try await response.body.collect(upTo: 1024 * 1024)
            return (Int(response.status.code), contentType, String(buffer: body))
        }

        /// Follows `$ref` within the document.
        static func resolve(_ node: Any, in spec: [String: Any]) -> [String: Any] {
            guard let object = node as? [String: Any] else { return [:] }
            guard let reference = object["$ref"] as? String, reference.hasPrefix("#/") else { return object }
            var current: Any = spec
            for part in reference.dropFirst(2).split(separator: "/") {
                guard let next = (current as? [String: Any])?[String(part)] else { return [:] }
                current = next
            }
            return resolve(current, in: spec)
        }

        /// What in `value` does not fit `schema`: types, required properties, enums, recursively.
        static func check(_ value: JSONValue, against node: Any, in spec: [String: Any], at path: String) -> [String] {
            let schema = resolve(node, in: spec)
            var problems: [String] = []
            if let allowed = schema["enum"] as? [String], !allowed.contains(value.stringValue ?? "") {
                problems.append("\(path) is \(value.jsonText()), not one of \(allowed)")
            }
            switch schema["type"] as? String {
            case "object":
                guard case .object(let members) = value else { return ["\(path) is not an object"] }
                for name in schema["required"] as? [String] ?? [] where members[name] == nil {
                    problems.append("\(path).\(name) is missing")
                }
                let properties = schema["properties"] as? [String: Any] ?? [:]
                for (name, member) in members {
                    if let property = properties[name] {
                        problems += check(member, against: property, in: spec, at: "\(path).\(name)")
                    } else {
                        problems.append("\(path).\(name) is not documented")
                    }
                }
            case "array":
                guard case .array(let elements) = value else { return ["\(path) is not an array"] }
                for (index, element) in elements.enumerated() {
                    problems += check(element, against: schema["items"] ?? [:], in: spec, at: "\(path)[\(index)]")
                }
            case "string":
                if value.stringValue == nil { problems.append("\(path) is not a string") }
            case "integer":
                if let number = value.numberValue, number == number.rounded() {} else { problems.append("\(path) is not an integer") }
            default:
                break
            }
            return problems
        }
    }
}
