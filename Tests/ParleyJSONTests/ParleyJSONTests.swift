import Foundation
import ParleyJSON
import Testing

@Suite struct JSONValueTests {
    /// Parsing and printing round-trip, with keys sorted and whole numbers printed without a decimal point.
    @Test func roundTrip() throws {
        let text = #"{"b":[1,2.5,true,null],"a":"x\"y\\z\n","c":{"d":-3e2}}"#
        let value = try JSONValue(parsing: text)
        #expect(value.jsonText() == #"{"a":"x\"y\\z\n","b":[1,2.5,true,null],"c":{"d":-300}}"#)
        #expect(try JSONValue(parsing: value.jsonText()) == value)
    }

    /// Text with the keys in no particular order reads back as the same value, escapes and nesting included.
    @Test func unorderedTextReadsBack() throws {
        let value = try JSONValue(parsing: #"{"b":[1,2.5,true,null,{"y":1,"x":[]}],"a":"x\"y\\z\n","c":{"d":-3e2,"e":{}}}"#)
        #expect(try JSONValue(parsing: value.unorderedJSONText()) == value)
        #expect(value.unorderedJSONText().count == value.jsonText().count)
    }

    /// Unicode escapes, surrogate pairs and control characters survive a round trip.
    @Test func unicode() throws {
        let value = try JSONValue(parsing: #""caf\u00e9 \ud83d\ude00 \u0001""#)
        #expect(value == .string("café 😀 \u{01}"))
        #expect(value.jsonText() == "\"café 😀 \\u0001\"")
        // Written out, before, between and after escapes.
        #expect(try JSONValue(parsing: "[\"Ünï 🦊\", \"Ünï\\n🦊\\t\", \"\\\"é\"]") == ["Ünï 🦊", "Ünï\n🦊\t", "\"é"])
    }

    /// Invalid JSON is refused with the byte where it went wrong, never a crash.
    @Test(arguments: [
        "", "{", "[1,]", "{\"a\" 1}", "tru", "01", "1.", "\"abc", "\"\\x\"", "{\"a\":1} x", "[\"\\ud800\"]", "\"a\u{01}\"",
    ])
    func rejectsInvalidJSON(_ text: String) {
        #expect(throws: JSONValue.ParseError.self) { try JSONValue(parsing: text) }
    }

    /// Invalid UTF-8 inside a string is an error, not garbage.
    @Test func rejectsInvalidUTF8() {
        // Alone, before an escape, after one.
        for bytes in [[0x22, 0xFF, 0xFE, 0x22], [0x22, 0xC3, 0x5C, 0x6E, 0x22], [0x22, 0x5C, 0x6E, 0xE2, 0x82, 0x22]] as [[UInt8]] {
            #expect(throws: JSONValue.ParseError.self) { try JSONValue(parsing: Data(bytes)) }
        }
    }

    /// Documents nested deeper than the limit are refused instead of exhausting the stack.
    @Test func refusesDeepNesting() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONValue.ParseError.self) { try JSONValue(parsing: deep) }
    }

    /// Paths read, set and remove nested values, creating objects and arrays as needed.
    @Test func paths() {
        var value: JSONValue = ["svc": ["response": ["body": [["message": "bad"]]]]]
        #expect(value.value(atPath: "svc.response.body[0].message") == "bad")
        #expect(value.value(atPath: "svc.missing.x") == nil)
        value.setValue(42, atPath: "entities.amount")
        value.setValue("x", atPath: "list[2]")
        #expect(value["entities"]?["amount"] == 42)
        #expect(value["list"] == [nil, nil, "x"])
        value.removeValue(atPath: "entities.amount")
        #expect(value["entities"] == [:])
        #expect(JSONPath.components(of: "a['b c'][1].d") == [.key("a"), .key("b c"), .index(1), .key("d")])
    }

    /// Values print as a person expects in a message.
    @Test func displayText() {
        #expect(JSONValue.number(3).displayText == "3")
        #expect(JSONValue.number(2.5).displayText == "2.5")
        #expect(JSONValue.null.displayText == "")
        #expect(JSONValue.string("Acme").displayText == "Acme")
        let object: JSONValue = ["a": 1]
        #expect(object.displayText == #"{"a":1}"#)
    }

    /// Pretty printing indents nested values by two spaces.
    @Test func prettyPrinting() {
        let value: JSONValue = ["a": [1, ["b": true]]]
        #expect(value.jsonText(pretty: true) == "{\n  \"a\": [\n    1,\n    {\n      \"b\": true\n    }\n  ]\n}")
    }

    /// JSONValue is Codable, so it can sit inside stored state.
    @Test func codable() throws {
        let value: JSONValue = ["n": 1.5, "s": "x", "a": [true, nil]]
        let data = try JSONEncoder().encode(value)
        #expect(try JSONDecoder().decode(JSONValue.self, from: data) == value)
    }
}
