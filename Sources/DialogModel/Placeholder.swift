import Foundation

/// A `{{ expression }}` in template text.
struct Placeholder {
    /// The text between the braces, without surrounding blanks.
    var expression: String
    /// The whole placeholder as written, braces included.
    var written: String

    /// Every placeholder in `text`, in order, and whether a `{{` is left unclosed.
    static func scan(_ text: String) -> (placeholders: [Placeholder], unclosed: Bool) {
        var placeholders: [Placeholder] = []
        var rest = text[...]
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                return (placeholders, true)
            }
            let inner = rest[open.upperBound..<close.lowerBound]
            placeholders.append(
                Placeholder(
                    expression: inner.trimmingCharacters(in: .whitespacesAndNewlines),
                    written: String(rest[open.lowerBound..<close.upperBound])))
            rest = rest[close.upperBound...]
        }
        return (placeholders, false)
    }
}
