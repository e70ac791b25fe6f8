import Foundation
import Testing

@testable import SalesforceSandbox

/// URL query strings decode as browsers and HTTP clients encode them.
struct DataQueryStringTests {
    /// `+` is a space, `%XX` escapes decode to UTF-8, and the first value of a name wins.
    @Test func decodesParameters() {
        let query = QueryString("q=SELECT+Id%2C+Name+FROM+Lead+WHERE+Name+%3D+%27Jos%C3%A9%27&q=second&flag&empty=")
        #expect(query["q"] == "SELECT Id, Name FROM Lead WHERE Name = 'José'")
        #expect(query.all("q").count == 2)
        #expect(query["flag"] == "")
        #expect(query["empty"] == "")
        #expect(query["missing"] == nil)
    }

    /// Malformed escapes and escapes that are not UTF-8 leave the text as Foundation's decoding does.
    @Test(arguments: ["100%", "a%2", "%zz+b", "%FF%FE", "%2B+%25", "caf%C3%A9", "plain", "%e2%82%ac"])
    func decodesLikeFoundation(text: String) {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        #expect(QueryString("v=" + text)["v"] == (spaced.removingPercentEncoding ?? spaced))
    }
}
