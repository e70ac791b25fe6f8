/// A line diff of expected against actual text, in unified format (`-` expected, `+` actual, ` ` both).
enum UnifiedDiff {
    enum Line: Hashable {
        case same(String)
        case removed(String)
        case added(String)
    }

    /// The shortest edit from `expected` to `actual`, by longest common subsequence (answers are a few lines).
    static func lines(expected: [String], actual: [String]) -> [Line] {
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

    /// The diff as text, with `--- expected` and `+++ actual` headers, each line indented by `indent`.
    static func render(expected: [String], actual: [String], style: TerminalStyle, indent: String) -> String {
        var text = indent + style.red("--- expected") + "\n" + indent + style.green("+++ actual") + "\n"
        for line in lines(expected: expected, actual: actual) {
            switch line {
            case .same(let value): text += indent + " " + value + "\n"
            case .removed(let value): text += indent + style.red("-" + value) + "\n"
            case .added(let value): text += indent + style.green("+" + value) + "\n"
            }
        }
        return text
    }
}
