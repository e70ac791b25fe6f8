import DialogModel
import Foundation
import Testing

/// Hostile bot files: a "billion laughs", deep nesting and oversized files are refused with `file:line:col`
/// before they are composed, and ordinary aliases still work.
struct YAMLLimitsTests {
    /// Nine levels of anchors, each repeating the one before ten times: a billion values from a few hundred bytes.
    static let billionLaughs: String = {
        var lines = ["dialog: Laughs", "intent: { name: Laughs, utterances: [go] }", #"lol0: &lol0 "lol""#]
        for level in 1...9 {
            let previous = Array(repeating: "*lol\(level - 1)", count: 10).joined(separator: ", ")
            lines.append("lol\(level): &lol\(level) [\(previous)]")
        }
        lines.append("nodes: [{ id: a, message: *lol9 }]")
        return lines.joined(separator: "\n") + "\n"
    }()

    /// A "billion laughs" task file is refused at the alias that repeats too much, quickly.
    @Test(.timeLimit(.minutes(5))) func billionLaughsIsRefused() {
        let problems = errors(Self.billionLaughs)
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("Task.yaml:7:63: error: aliases repeat more than 10000 values by here") == true)
        #expect(problems.first?.hasSuffix("a dialog file may repeat at most 10000 values through aliases") == true)
    }

    /// Mapping keys that are aliases count too: Yams would hash and compare each expanded key.
    @Test(.timeLimit(.minutes(5))) func aliasedKeysAreCounted() {
        var lines = ["a0: &a0 [x, x, x, x, x, x, x, x]"]
        for level in 1...4 {
            lines.append("a\(level): &a\(level) [*a\(level - 1), *a\(level - 1), *a\(level - 1), *a\(level - 1)]")
        }
        lines.append("k: { ? *a4 : 1, ? [*a4] : 2, ? [[*a4]] : 3 }")
        #expect(
            errors(lines.joined(separator: "\n")) == [
                "Task.yaml:6:34: error: aliases repeat more than 10000 values by here (*a4 alone repeats 2389); a dialog file may repeat at most 10000 values through aliases"
            ])
    }

    /// Aliases that repeat a few values, as people use them for shared prompts, still load.
    @Test func ordinaryAliasesLoad() {
        let yaml = """
            dialog: T
            intent: { name: T, utterances: [go] }
            nodes:
              - id: a
                message: &greeting "Hello there"
                next: b
              - id: b
                message: *greeting
            """
        let (task, problems) = BotLoader.parseTask(yaml: yaml, file: "Task.yaml")
        #expect(problems.isEmpty)
        #expect(task?.nodes.count == 2)
    }

    /// Lists and mappings nested past a hundred levels are refused where the 101st opens.
    @Test func deepNestingIsRefused() {
        let flow = "dialog: T\nx: " + String(repeating: "[", count: 150) + String(repeating: "]", count: 150) + "\n"
        #expect(errors(flow) == ["Task.yaml:2:103: error: lists and mappings nest more than 100 levels deep here"])
        var block = "dialog: T\n"
        for level in 0..<150 { block += String(repeating: " ", count: level) + "k\(level):\n" }
        #expect(errors(block) == ["Task.yaml:102:101: error: lists and mappings nest more than 100 levels deep here"])
    }

    /// Nesting deep enough that libyaml itself gives up is reported with the same message.
    @Test func nestingBeyondLibYAMLIsRefused() {
        let flow = "dialog: T\nx: " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + "\n"
        let problems = errors(flow)
        #expect(problems.count == 1)
        #expect(problems.first?.hasPrefix("Task.yaml:2:") == true)
        #expect(problems.first?.hasSuffix("error: lists and mappings nest more than 100 levels deep here") == true)
    }

    /// A file over 1 MiB is refused at its first line, before any parsing.
    @Test func oversizedFileIsRefused() {
        let yaml = "dialog: T\n# " + String(repeating: "x", count: 1_048_576) + "\n"
        #expect(
            errors(yaml) == [
                "Task.yaml:1:1: error: the file is 1048589 bytes; a dialog file may be at most 1048576 bytes (1 MiB)"
            ])
    }

    /// bot.yaml goes through the same limits.
    @Test func settingsFileHasTheLimits() {
        let yaml = Self.billionLaughs.replacingOccurrences(of: "dialog: Laughs\n", with: "name: Laughs\n")
        let (settings, problems) = BotLoader.parseSettings(yaml: yaml, file: "bot.yaml")
        #expect(settings == nil)
        #expect(problems.map(\.description).first?.hasPrefix("bot.yaml:7:63: error: aliases repeat more than") == true)
    }
}
