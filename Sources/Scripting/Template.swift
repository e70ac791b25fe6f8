import Foundation
import ParleyJSON

/// Text with `{{ expression }}` placeholders, split once into the parts that render it.
struct Template {
    enum Part {
        /// Literal text, copied as is.
        case text(String)
        /// A plain dotted path such as `context.body[0].message`, resolved without JavaScript.
        case path(root: String, rest: [JSONPath.Component], source: String)
        /// Any other expression, evaluated by JavaScript.
        case expression(String)
    }

    let parts: [Part]

    /// Whether there is anything to replace; text without placeholders is returned as is.
    let hasPlaceholders: Bool

    /// Splits `text` at each `{{ … }}`; an opening `{{` without a closing `}}` stays literal text.
    init(parsing text: String) {
        var parts: [Part] = []
        var rest = text[...]
        while let open = rest.range(of: "{{") {
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            if open.lowerBound > rest.startIndex { parts.append(.text(String(rest[..<open.lowerBound]))) }
            let inside = rest[open.upperBound..<close.lowerBound].trimmingWhitespace()
            if !inside.isEmpty {
                if let (root, components) = Template.plainPath(inside) {
                    parts.append(.path(root: root, rest: components, source: String(inside)))
                } else {
                    parts.append(.expression(String(inside)))
                }
            }
            rest = rest[close.upperBound...]
        }
        if !rest.isEmpty { parts.append(.text(String(rest))) }
        self.parts = parts
        self.hasPlaceholders = parts.contains { part in
            if case .text = part { return false }
            return true
        }
    }

    /// The root and components of `identifier(.identifier | [digits])*`, or `nil` for anything else.
    static func plainPath(_ text: Substring) -> (String, [JSONPath.Component])? {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        func identifier() -> String? {
            guard index < scalars.count, isIdentifierStart(scalars[index]) else { return nil }
            let start = index
            while index < scalars.count, isIdentifierPart(scalars[index]) { index += 1 }
            var name = String.UnicodeScalarView()
            name.append(contentsOf: scalars[start..<index])
            return String(name)
        }
        guard let root = identifier() else { return nil }
        var components: [JSONPath.Component] = []
        while index < scalars.count {
            switch scalars[index] {
            case ".":
                index += 1
                guard let name = identifier() else { return nil }
                components.append(.key(name))
            case "[":
                index += 1
                let start = index
                while index < scalars.count, ("0"..."9").contains(scalars[index]) { index += 1 }
                guard index > start, index < scalars.count, scalars[index] == "]",
                    let number = Int(String(String.UnicodeScalarView(scalars[start..<index])))
                else { return nil }
                index += 1
                components.append(.index(number))
            default:
                return nil
            }
        }
        return (root, components)
    }

    private static func isIdentifierStart(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_" || scalar == "$"
    }

    private static func isIdentifierPart(_ scalar: Unicode.Scalar) -> Bool {
        isIdentifierStart(scalar) || ("0"..."9").contains(scalar)
    }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> Substring {
        var result = self
        while let first = result.first, first.isWhitespace { result.removeFirst() }
        while let last = result.last, last.isWhitespace { result.removeLast() }
        return result
    }
}
