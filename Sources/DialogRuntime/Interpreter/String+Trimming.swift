extension String {
    /// The text without leading and trailing whitespace and newlines: the same characters as
    /// Foundation's `.whitespacesAndNewlines`, without bridging every utterance through NSString. Channels use it to
    /// tell an empty message the way a turn does.
    package func trimmingWhitespaceAndNewlines() -> String {
        trimming { scalar in
            // ASCII first: Unicode property lookups cost more than the rest of the trimming.
            if scalar.isASCII { return scalar == " " || ("\t"..."\r").contains(scalar) }
            return scalar.properties.isWhitespace || scalar == "\u{200B}"
        }
    }

    /// The text without leading and trailing spaces and tabs: the same characters as
    /// Foundation's `.whitespaces`, without bridging through NSString.
    func trimmingSpacesAndTabs() -> String {
        trimming { scalar in
            if scalar.isASCII { return scalar == " " || scalar == "\t" }
            return scalar == "\u{200B}" || scalar.properties.generalCategory == .spaceSeparator
        }
    }

    /// Foundation trims Unicode scalars, not characters, so a combining mark after a space
    /// does not keep the space; trimming scalars here does the same.
    private func trimming(_ isTrimmed: (Unicode.Scalar) -> Bool) -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !isTrimmed($0) }),
            let last = scalars.lastIndex(where: { !isTrimmed($0) })
        else { return "" }
        if first == scalars.startIndex, scalars.index(after: last) == scalars.endIndex { return self }
        return String(Substring(scalars[first...last]))
    }
}
