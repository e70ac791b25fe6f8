extension StringProtocol {
    /// Whether the text holds `{{`, as a placeholder opens.
    ///
    /// Asked of every prompt, message and body value on every turn; scanning the UTF-8 bytes
    /// here avoids Foundation's general substring search, which was a measurable part of a turn.
    var containsOpeningBraces: Bool { containsTwice(UInt8(ascii: "{")) }

    /// Whether the text holds `}}`, as a placeholder closes.
    var containsClosingBraces: Bool { containsTwice(UInt8(ascii: "}")) }

    private func containsTwice(_ byte: UInt8) -> Bool {
        var previous: UInt8 = 0
        for current in utf8 {
            if current == byte, previous == byte { return true }
            previous = current
        }
        return false
    }
}
