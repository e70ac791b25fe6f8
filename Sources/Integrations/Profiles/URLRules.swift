import Foundation

/// What URLs authorization settings accept: https, or plain http only to this machine.
enum URLRules {
    static let maximumLength = 3000

    /// The URL if acceptable.
    ///
    /// - Throws: `IntegrationInputError` naming the field and saying what is wrong.
    @discardableResult
    static func check(_ text: String, field: String) throws -> URL {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { throw IntegrationInputError(field: field, "a URL is required") }
        guard trimmed.count <= maximumLength else {
            throw IntegrationInputError(field: field, "the URL is longer than \(maximumLength) characters")
        }
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme?.lowercased(),
            let host = components.host, !host.isEmpty, let url = components.url
        else {
            throw IntegrationInputError(field: field, "'\(text)' is not an absolute URL (for example https://login.salesforce.com)")
        }
        switch scheme {
        case "https": return url
        case "http" where isLoopback(host): return url
        case "http":
            throw IntegrationInputError(field: field, "'\(text)' must use https (plain http is allowed only for 127.0.0.1 and localhost)")
        default:
            throw IntegrationInputError(field: field, "'\(text)' must be an https URL")
        }
    }

    static func isLoopback(_ host: String) -> Bool {
        let lowered = host.lowercased()
        return lowered == "localhost" || lowered == "[::1]" || lowered == "::1" || lowered.hasPrefix("127.")
    }
}
