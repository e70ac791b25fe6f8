import Foundation

/// Names of fields and parameters whose values are credentials.
enum SensitiveFields {
    static let names: Set<String> = [
        "access_token", "refresh_token", "id_token", "client_secret", "code", "code_verifier", "token", "password",
        "signature", "authorization", "sid", "oauth_token", "oauth_verifier",
    ]
}

/// Hides credentials in text meant for people (`/debug` traces, logs, error messages): the values of
/// credential parameters in URLs and forms (`access_token=…`, `oauth_token=…`, `code=…`), of credential
/// fields in JSON (`"refresh_token":"…"`), and bearer tokens (`Bearer …`).
public enum CredentialRedaction {
    /// What a hidden value is replaced with.
    public static let placeholder = "[redacted]"

    /// `text` with every credential value replaced by ``placeholder``.
    public static func redacting(_ text: String) -> String {
        guard text.contains("=") || text.contains(":") || text.localizedCaseInsensitiveContains("bearer") else { return text }
        var result = text
        for (pattern, template) in patterns {
            let range = NSRange(result.startIndex..., in: result)
            result = pattern.stringByReplacingMatches(in: result, range: range, withTemplate: template)
        }
        return result
    }

    private static let patterns: [(NSRegularExpression, String)] = {
        let names = SensitiveFields.names.sorted().map(NSRegularExpression.escapedPattern(for:)).joined(separator: "|")
        let rules = [
            // name=value in a query string or form, wherever it stands in the text.
            (#"(?i)(^|[?&\s;,"'{(\[])("# + names + #")=[^&\s"'<>)\]},;#]*"#, "$1$2=" + placeholder),
            // "name": "value" in JSON.
            (#"(?i)"("# + names + #")"\s*:\s*"(?:[^"\\]|\\.)*""#, "\"$1\":\"" + placeholder + "\""),
            // An Authorization header's credentials.
            (#"(?i)\b(Bearer|OAuth)\s+[A-Za-z0-9._~+/!=-]{8,}"#, "$1 " + placeholder),
        ]
        return rules.compactMap { rule in (try? NSRegularExpression(pattern: rule.0)).map { ($0, rule.1) } }
    }()
}
