import Testing

@testable import ParleyJSON

/// Hostile JSON and paths: numbers beyond a double, nesting at the limit, indexes that would allocate
/// without bound or point before the start.
struct JSONLimitsTests {
    func parseError(_ text: String) -> JSONValue.ParseError? {
        do {
            _ = try JSONValue(parsing: text)
            return nil
        } catch {
            return error as? JSONValue.ParseError
        }
    }

    /// A number too large for a double is refused where it starts, rather than read as infinity.
    @Test(arguments: ["1e400", "[1, -1e400]", "123" + String(repeating: "0", count: 400)])
    func hugeNumbersAreRefused(text: String) throws {
        let error = try #require(parseError(text))
        #expect(error.message == "number out of range at byte \(error.offset)")
        #expect(text.utf8.dropFirst(error.offset).first.map { $0 == UInt8(ascii: "-") || ($0 >= 0x30 && $0 <= 0x39) } == true)
    }

    /// Numbers as large and as small as a double holds still parse.
    @Test func extremeFiniteNumbersParse() throws {
        #expect(try JSONValue(parsing: "1.7976931348623157e308") == .number(.greatestFiniteMagnitude))
        #expect(try JSONValue(parsing: "-1e-400") == .number(-0.0))
    }

    /// Nesting is allowed up to 512 levels and refused one level deeper, at the bracket that goes too deep.
    @Test func nestingLimit() throws {
        let limit = JSONParser.maximumDepth
        let deepest = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        #expect(throws: Never.self) { try JSONValue(parsing: deepest) }
        let tooDeep = String(repeating: "{\"a\":", count: limit + 1) + "1" + String(repeating: "}", count: limit + 1)
        let error = try #require(parseError(tooDeep))
        #expect(error.message == "JSON nested too deeply at byte \(limit * 5)")
    }

    /// Setting a huge index changes nothing and allocates nothing; the largest allowed index fills the array up to it.
    @Test func setIndexIsBounded() {
        var context: JSONValue = ["x": [1]]
        let huge = context.setValue(1, atPath: "x[99999999]")
        let largest = context.setValue(1, atPath: "y[9223372036854775807]")
        #expect(huge == false && largest == false)
        #expect(context == ["x": [1]])
        let allowed = context.setValue(2, atPath: "x[\(JSONPath.maximumIndex)]")
        #expect(allowed)
        #expect(context["x"]?.arrayValue?.count == JSONPath.maximumIndex + 1)
        #expect(context.value(atPath: "x[\(JSONPath.maximumIndex)]") == 2)
    }

    /// A negative index sets nothing and reads nothing, where it used to crash.
    @Test func negativeIndexes() {
        var context: JSONValue = ["x": [1, 2]]
        let element = context.setValue(3, atPath: "x[-1]")
        let member = context.setValue(3, atPath: "x[-1].y")
        #expect(element == false && member == false)
        #expect(context == ["x": [1, 2]])
        #expect(context.value(atPath: "x[-1]") == nil)
    }

    /// Reading is not bounded: an index beyond what a path may set still reads a large array.
    @Test func readingLargeArrays() {
        let big = JSONValue.array((0..<20_000).map { .number(Double($0)) })
        #expect(JSONValue.object(["body": big]).value(atPath: "body[15000]") == 15000)
    }

    /// A path through more parts than a document may nest sets nothing; the problem says why.
    @Test func setPathDepthIsBounded() {
        let tooLong = Array(repeating: "a", count: JSONPath.maximumComponents + 1).joined(separator: ".")
        var context: JSONValue = [:]
        let set = context.setValue(1, atPath: tooLong)
        #expect(set == false)
        #expect(context == [:])
        #expect(JSONPath.problem(in: tooLong) == "the path has 513 parts; at most 512 are allowed")
        #expect(JSONPath.problem(in: "context.x[10000]") == "the index [10000] is out of range; indexes run from 0 to 9999")
        #expect(JSONPath.problem(in: "context.x[9999].y") == nil)
    }
}
