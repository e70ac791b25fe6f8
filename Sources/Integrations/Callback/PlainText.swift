/// Text from outside (a browser's `error_description`) made safe to show in a terminal or a chat.
public enum PlainText {
    /// The text on one line, at most `limit` characters, without what a terminal would act on: escape sequences
    /// (CSI, OSC, and their 8-bit forms), other control characters, and bidirectional overrides that reorder
    /// what is shown. Line breaks and tabs become spaces.
    public static func sanitized(_ text: String, limit: Int = 200) -> String {
        var result = ""
        var scalars = Array(text.unicodeScalars)[...]
        while let scalar = scalars.popFirst() {
            switch scalar.value {
            case 0x1B:
                skipEscapeSequence(&scalars)
            case 0x9B:
                skipUntilFinalByte(&scalars)
            case 0x9D, 0x90, 0x9E, 0x9F:
                skipUntilStringTerminator(&scalars)
            case 0x09, 0x0A, 0x0D:
                if result.last != " " { result.unicodeScalars.append(" ") }
            case 0x00..<0x20, 0x7F, 0x80..<0xA0, 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F:
                continue
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        let trimmed = result.trimmingCharacters(in: " ")
        return trimmed.count > limit ? String(trimmed.prefix(limit - 1)) + "…" : trimmed
    }

    /// After ESC: CSI (`[` … final byte), OSC, DCS, SOS, PM, APC (… BEL or ESC `\`), or one more character.
    private static func skipEscapeSequence(_ scalars: inout ArraySlice<Unicode.Scalar>) {
        guard let next = scalars.popFirst() else { return }
        switch next {
        case "[": skipUntilFinalByte(&scalars)
        case "]", "P", "X", "^", "_": skipUntilStringTerminator(&scalars)
        default: break
        }
    }

    /// Parameters and intermediates, then one final byte (`@` to `~`).
    private static func skipUntilFinalByte(_ scalars: inout ArraySlice<Unicode.Scalar>) {
        while let scalar = scalars.popFirst() {
            if (0x40...0x7E).contains(scalar.value) { return }
        }
    }

    /// Everything up to BEL, ST (0x9C) or ESC `\`.
    private static func skipUntilStringTerminator(_ scalars: inout ArraySlice<Unicode.Scalar>) {
        while let scalar = scalars.popFirst() {
            if scalar.value == 0x07 || scalar.value == 0x9C { return }
            if scalar.value == 0x1B {
                if scalars.first == "\\" { scalars.removeFirst() }
                return
            }
        }
    }
}

extension String {
    fileprivate func trimmingCharacters(in character: Character) -> String {
        var text = Substring(self)
        while text.first == character { text.removeFirst() }
        while text.last == character { text.removeLast() }
        return String(text)
    }
}
