import Foundation

/// The raw text of a dialog file, for pointing inside YAML values.
///
/// YAML nodes only know where a value starts. To point at a placeholder or at the line of a
/// script that failed to compile, the fragment is found in the raw text after the value's start.
struct SourceText {
    private let lines: [Substring]

    init(_ text: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasSuffix("\r") ? line.dropLast() : line
        }
    }

    /// Where `fragment` (up to its first line break) first occurs at or after `start`, or `nil`
    /// when it does not occur in the next lines, for example because of YAML escapes.
    func locate(_ fragment: String, from start: SourceLocation) -> SourceLocation? {
        let needle =
            fragment.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first
            .map(String.init) ?? ""
        guard !needle.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        // A value spans a few lines at most; searching further would find unrelated text.
        let lastLine = min(lines.count, start.line + 200)
        guard start.line >= 1, start.line <= lastLine else { return nil }
        for lineNumber in start.line...lastLine {
            let line = lines[lineNumber - 1]
            let scalars = line.unicodeScalars
            var from = scalars.startIndex
            if lineNumber == start.line {
                from =
                    scalars.index(from, offsetBy: max(0, start.column - 1), limitedBy: scalars.endIndex) ?? scalars.endIndex
            }
            let searched = Substring(scalars[from...])
            if let range = searched.range(of: needle) {
                let column = scalars.distance(from: scalars.startIndex, to: range.lowerBound) + 1
                return SourceLocation(file: start.file, line: lineNumber, column: column)
            }
        }
        return nil
    }

    /// Where a 1-based line and column of a value's text (such as a script) are in the file.
    ///
    /// Each line of the value is found in turn, so repeated lines map to the right place.
    /// Falls back to the value's start when the text cannot be found as written.
    func locate(line: Int, column: Int, in value: String, startingAt start: SourceLocation) -> SourceLocation {
        let valueLines = value.split(separator: "\n", omittingEmptySubsequences: false)
        guard line >= 1, line <= valueLines.count else { return start }
        var cursor = start
        var found: SourceLocation?
        for index in 0..<line {
            let text = valueLines[index].trimmingCharacters(in: .whitespaces)
            if text.isEmpty {
                if index == line - 1 { return start }
                continue
            }
            guard let place = locate(text, from: cursor) else { return start }
            found = place
            cursor = SourceLocation(file: start.file, line: place.line + 1, column: 1)
        }
        guard let found else { return start }
        // The found place is the first non-blank character of the line, so skip the leading blanks.
        let leading = valueLines[line - 1].prefix { $0 == " " || $0 == "\t" }.unicodeScalars.count
        return SourceLocation(file: start.file, line: found.line, column: found.column + max(0, column - 1 - leading))
    }
}
