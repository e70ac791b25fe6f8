import Foundation
import ParleyJSON

@testable import Scripting

// Feeds each input as text with `{{ }}` placeholders, as messages, prompts and service URLs hold
// it: split into literal text, plain paths and expressions. Rendering the literal parts must give
// back the text around the placeholders.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let template = Template(parsing: text)
    if !template.hasPlaceholders, !text.contains("{{") {
        let literal = template.parts.map { part in
            if case .text(let text) = part { text } else { "" }
        }.joined()
        precondition(literal == text, "text without placeholders changed: \(text)")
    }
    for part in template.parts {
        if case .path(let root, let rest, let source) = part {
            precondition(!root.isEmpty && Template.plainPath(Substring(source))?.1 == rest, "a path that does not read back")
        }
    }
    _ = Template.plainPath(Substring(text))
    return 0
}
