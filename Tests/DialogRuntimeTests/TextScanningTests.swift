import Foundation
import Testing

@testable import DialogRuntime

/// The runtime's own trimming and brace scans agree with Foundation's, which they replace on hot paths.
@Suite struct TextScanningTests {
    /// Every scalar of the Basic Multilingual Plane around a word: trimmed as Foundation trims it.
    @Test func trimmingMatchesFoundation() {
        for value in 0...0xFFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = "\(scalar)\(scalar) a\(scalar)b \(scalar)"
            #expect(
                text.trimmingWhitespaceAndNewlines() == text.trimmingCharacters(in: .whitespacesAndNewlines),
                "U+\(String(value, radix: 16))")
            #expect(text.trimmingSpacesAndTabs() == text.trimmingCharacters(in: .whitespaces), "U+\(String(value, radix: 16))")
        }
        #expect(" \u{301}yes ".trimmingWhitespaceAndNewlines() == " \u{301}yes ".trimmingCharacters(in: .whitespacesAndNewlines))
        #expect("  \n\t ".trimmingWhitespaceAndNewlines() == "")
    }

    /// Answers to a yes/no question lose the same punctuation and spaces at their edges as with Foundation.
    @Test func answerEdgesMatchFoundation() {
        let samples = ["yes", "  no!  ", "(yes)", "'ok'", "y-e-s", "...", "", "sí.", "«oui»", "yes\u{1B4E}", "$yes$", "~no~"]
        var texts = samples
        for value in 0..<128 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            texts.append("\(scalar)yes\(scalar)")
        }
        for text in texts {
            #expect(Turn.trimmingAnswerEdges(text) == text.trimmingCharacters(in: Turn.answerEdges), "\(text.debugDescription)")
        }
    }

    /// Double braces are found wherever they are, and single ones are not mistaken for them.
    @Test func findsDoubleBraces() {
        #expect("Hello {{context.name}}".containsOpeningBraces)
        #expect("{{".containsOpeningBraces)
        #expect(!"{ not a placeholder }".containsOpeningBraces)
        #expect(!"{x}{".containsOpeningBraces)
        #expect("é{{".containsOpeningBraces)
        #expect("a}}".containsClosingBraces)
        #expect(!"}{}".containsClosingBraces)
        #expect("x }} y"[...].containsClosingBraces)
    }
}
