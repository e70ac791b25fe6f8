/// A line diff of expected against actual text, in unified format (`-` expected, `+` actual, ` ` both).
public enum UnifiedDiff {
    public enum Line: Hashable {
        case same(String)
        case removed(String)
        case added(String)
    }

    /// The shortest edit from `expected` to `actual`, by longest common subsequence (answers are a few lines).
    public static func lines(expected: [String], actual: [String]) -> [Line] {
        let n = expected.count
        let m = actual.count
        var table = Array(repeating: Array(repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                table[i][j] = expected[i] == actual[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var result: [Line] = []
        var i = 0
        var j = 0
        while i < n || j < m {
            if i < n, j < m, expected[i] == actual[j] {
                result.append(.same(expected[i]))
                i += 1
                j += 1
            } else if i < n, j == m || table[i + 1][j] >= table[i][j + 1] {
                // Removals first, so a changed line reads as `-expected` then `+actual`.
                result.append(.removed(expected[i]))
                i += 1
            } else {
                result.append(.added(actual[j]))
                j += 1
            }
        }
        return result
    }

    /// The diff as text, with `--- expected` and `+++ actual` headers (or other names), each line
    /// indented by `indent`.
    public static func render(
        expected: [String], actual: [String], style: TerminalStyle, indent: String,
        names: (expected: String, actual: String) = ("expected", "actual"), context: Int? = nil
    ) -> String {
        var text = indent + style.red("--- " + names.expected) + "\n" + indent + style.green("+++ " + names.actual) + "\n"
        let all = lines(expected: expected, actual: actual)
        // With `context`, only changed lines and that many around them; "…" stands for the rest.
        let changed = all.indices.filter { if case .same = all[$0] { false } else { true } }
        var skipping = false
        for (index, line) in all.enumerated() {
            if let context, !changed.contains(where: { abs($0 - index) <= context }) {
                if !skipping { text += indent + style.dim(" …") + "\n" }
                skipping = true
                continue
            }
            skipping = false
            switch line {
            case .same(let value): text += indent + " " + value + "\n"
            case .removed(let value): text += indent + style.red("-" + value) + "\n"
            case .added(let value): text += indent + style.green("+" + value) + "\n"
            }
        }
        return text
    }
}
