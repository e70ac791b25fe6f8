import DialogModel
import Foundation
import GRDB
import ParleyJSON
import SalesforceWire
import Testing
import Transcripts

@testable import SalesforceSandbox
@testable import Scripting

/// Every input a fuzzer found crashing (`Fuzz/Regressions/<target>/`) and every seed it starts from
/// (`Fuzz/Corpus/<target>/`) goes through the same entry point as in its fuzz target (`Fuzz/Targets/`),
/// and is answered or refused with an error, never a crash.
struct FuzzRegressionTests {
    /// One file of a fuzz target's inputs.
    struct Input: Sendable, CustomTestStringConvertible {
        var target: String
        var file: URL
        var testDescription: String { "\(target)/\(file.lastPathComponent)" }
    }

    static let fuzzFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz")
    static let targets = ["soql", "sosl", "json", "dialog-yaml", "transcript", "template"]

    /// The files under `Fuzz/<kind>/<target>/` for every target, in a stable order.
    static func inputs(_ kind: String) -> [Input] {
        targets.flatMap { target in
            let folder = fuzzFolder.appendingPathComponent(kind).appendingPathComponent(target)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            return names.filter { !$0.hasPrefix(".") }.sorted().map {
                Input(target: target, file: folder.appendingPathComponent($0))
            }
        }
    }

    /// Crashing inputs the fuzzers found, and the two queries that used to kill the sandbox, are handled.
    @Test(arguments: inputs("Regressions"))
    func regression(_ input: Input) throws {
        try replay(input)
    }

    /// The seeds the fuzzers start from are handled too, so a seed that crashes is caught before fuzzing.
    @Test(arguments: inputs("Corpus"))
    func seed(_ input: Input) throws {
        try replay(input)
    }

    /// Every target has seeds, and the known crashes are kept as regressions.
    @Test func foldersAreInPlace() {
        #expect(Set(Self.inputs("Corpus").map(\.target)) == Set(Self.targets))
        #expect(Self.inputs("Regressions").contains { $0.file.lastPathComponent == "last-n-days-overflow" })
    }

    // MARK: The fuzz targets' entry points

    func replay(_ input: Input) throws {
        let data = try Data(contentsOf: input.file)
        let text = String(decoding: data, as: UTF8.self)
        switch input.target {
        case "soql": try query(text, includeDeleted: data.count % 2 == 1)
        case "sosl": try search(text)
        case "json": json(data)
        case "dialog-yaml": dialogFile(text)
        case "transcript": transcript(text)
        case "template": template(text)
        default: Issue.record("no entry point for \(input.target)")
        }
    }

    /// The sandbox's demo org on the fuzz targets' fixed clock.
    func demoStore() throws -> RecordStore {
        let store = try RecordStore(database: try DatabaseQueue(), clock: { Date(timeIntervalSince1970: 1_773_835_200) })
        _ = try store.seedIfEmpty()
        return store
    }

    func query(_ text: String, includeDeleted: Bool) throws {
        let store = try demoStore()
        do {
            _ = try store.query(text, includeDeleted: includeDeleted, version: "66.0", batchSize: 200)
        } catch {
            #expect(error.status == 400 && !error.errors.isEmpty)
        }
    }

    func search(_ text: String) throws {
        let store = try demoStore()
        do {
            _ = try store.search(SOSLSearch.parse(text), version: "66.0")
        } catch {
            #expect(error.status == 400 && !error.errors.isEmpty)
        }
    }

    func json(_ data: Data) {
        if let value = try? JSONValue(parsing: data) {
            for pretty in [false, true] {
                let written = value.jsonText(pretty: pretty)
                #expect((try? JSONValue(parsing: written)) == value, "written as \(written)")
            }
        }
        let path = String(decoding: data, as: UTF8.self)
        var context: JSONValue = ["entities": ["list": [1, 2, 3]], "session": [:]]
        let set = context.setValue("x", atPath: path)
        #expect(set == (JSONPath.problem(in: path) == nil))
        if set, !JSONPath.components(of: path).isEmpty {
            #expect(context.value(atPath: path) == "x")
        }
        context.removeValue(atPath: path)
    }

    func dialogFile(_ text: String) {
        let (task, taskProblems) = BotLoader.parseTask(yaml: text, file: "Fuzz.yaml")
        #expect(task != nil || taskProblems.contains { $0.severity == .error })
        let (settings, settingsProblems) = BotLoader.parseSettings(yaml: text, file: "bot.yaml")
        #expect(settings != nil || settingsProblems.contains { $0.severity == .error })
    }

    func transcript(_ text: String) {
        do {
            _ = try TranscriptParser.parse(text, path: "Fuzz.chat")
        } catch {
            #expect(!error.problems.isEmpty)
        }
    }

    func template(_ text: String) {
        let template = Template(parsing: text)
        if !template.hasPlaceholders, !text.contains("{{") {
            let literal = template.parts.map { part in
                if case .text(let text) = part { text } else { "" }
            }.joined()
            #expect(literal == text)
        }
        for part in template.parts {
            if case .path(let root, let rest, let source) = part {
                #expect(!root.isEmpty && Template.plainPath(Substring(source))?.1 == rest)
            }
        }
        _ = Template.plainPath(Substring(text))
    }
}
