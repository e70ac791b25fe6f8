public import Foundation
public import NIOHTTP1
public import ParleyJSON
import WebEncoding

/// A response as a browser or an HTTP client sees it: status, headers and the body as text.
public struct BrowserPage: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var text: String

    public init(status: Int, headers: HTTPHeaders, text: String) {
        self.status = status
        self.headers = headers
        self.text = text
    }

    /// The body as JSON; `nil` when it is not JSON.
    public var json: JSONValue? { try? JSONValue(parsing: text) }

    /// Where a redirect points.
    public var location: String? { headers.first(name: "Location") }

    /// The first value of a header.
    public func header(_ name: String) -> String? { headers.first(name: name) }

    /// The value of a form field on an HTML page (`name="..." value="..."`), unescaped.
    public func formValue(_ name: String) -> String? {
        // Searched as bytes: the pages are ASCII around the values, and Foundation's search is slow on Linux.
        let bytes = Array(text.utf8)
        let needle = Array("name=\"\(name)\" value=\"".utf8)
        guard needle.count <= bytes.count,
            let start = (0...(bytes.count - needle.count)).first(where: { bytes[$0..<$0 + needle.count].elementsEqual(needle) })
        else { return nil }
        let valueStart = start + needle.count
        guard let end = bytes[valueStart...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
        return HTMLEscaping.unescape(String(decoding: bytes[valueStart..<end], as: UTF8.self))
    }

    /// The hidden fields of the page's forms, in order, unescaped.
    public var hiddenFields: [(String, String)] {
        text.matches(of: /<input type="hidden" name="([^"]+)" value="([^"]*)">/).map { match in
            (String(match.output.1), HTMLEscaping.unescape(match.output.2))
        }
    }

    /// The query fields of the `Location` header, decoded; the first value of a repeated field wins.
    public var locationQuery: [String: String] {
        guard let location, let components = URLComponents(string: location) else { return [:] }
        var fields: [String: String] = [:]
        for item in components.queryItems ?? [] where fields[item.name] == nil { fields[item.name] = item.value ?? "" }
        return fields
    }
}
