public import Foundation
public import ParleyJSON

/// An HTTP response as received: status, headers and the whole body.
public struct RawResponse: Sendable, Hashable {
    public var status: Int
    /// Header names in lower case.
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = Dictionary(
            headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, second in "\(first), \(second)" })
        self.body = body
    }

    /// A response whose header fields came in order, a name possibly repeated: repeats are joined with `, `.
    public init(status: Int, headerFields: some Sequence<(name: String, value: String)>, body: Data) {
        var headers: [String: String] = [:]
        for field in headerFields {
            let name = field.name.lowercased()
            headers[name] = headers[name].map { "\($0), \(field.value)" } ?? field.value
        }
        self.init(status: status, headers: headers, body: body)
    }

    /// A response with a JSON body, for tests and stand-ins.
    public init(status: Int, json: JSONValue, headers: [String: String] = [:]) {
        var headers = headers
        headers["content-type"] = "application/json;charset=UTF-8"
        self.init(status: status, headers: headers, body: json.jsonData)
    }

    /// The value of a header, looked up without regard to case.
    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// Whether the status is 2xx.
    public var isSuccess: Bool { (200..<300).contains(status) }

    /// The body parsed as JSON; `nil` when it is empty or not JSON.
    public var json: JSONValue? {
        guard !body.isEmpty else { return nil }
        return try? JSONValue(parsing: body)
    }

    /// The body as UTF-8 text (invalid bytes replaced).
    public var text: String { String(decoding: body, as: UTF8.self) }
}
