import Testing
import WebEncoding

@Suite("Percent-encoding, form encoding and HTML escaping")
struct WebEncodingTests {
    /// A URL component keeps only RFC 3986's unreserved characters; a space is `%20` and `+` is `%2B`.
    @Test func componentKeepsOnlyUnreserved() {
        #expect(PercentEncoding.component("a-b.c_d~e") == "a-b.c_d~e")
        #expect(PercentEncoding.component("x y+z/?#&=*") == "x%20y%2Bz%2F%3F%23%26%3D%2A")
        #expect(PercentEncoding.component("café") == "caf%C3%A9")
    }

    /// The WHATWG serializer keeps `*-._` and ASCII alphanumerics, writes a space as `+` and escapes the rest,
    /// `~` and non-ASCII letters included.
    @Test func formEncodingFollowsWHATWG() {
        #expect(FormEncoding.encode("a*b-c.d_e") == "a*b-c.d_e")
        #expect(FormEncoding.encode("two words~+") == "two+words%7E%2B")
        #expect(FormEncoding.encode("é") == "%C3%A9")
        #expect(FormEncoding.encode([("grant_type", "code"), ("scope", "api refresh_token")]) == "grant_type=code&scope=api+refresh_token")
    }

    /// Parsing reads `+` as a space, resolves escapes, keeps order and empty values, and refuses bad escapes.
    @Test func formDecodingRoundTrips() throws {
        let fields = try FormEncoding.decode("a=1&b=two+words&c=%E2%9C%93&d&&e=")
        #expect(fields.map(\.name) == ["a", "b", "c", "d", "e"])
        #expect(fields.map(\.value) == ["1", "two words", "✓", "", ""])
        let text = "x y&z=é+%"
        #expect(try FormEncoding.decode(Substring(FormEncoding.encode([(text, text)])))[0].value == text)
        #expect(throws: FormEncoding.Malformed.self) { try FormEncoding.decode("a=%4") }
        #expect(throws: FormEncoding.Malformed.self) { try FormEncoding.decode("a=%FF") }
    }

    /// Decoding a URL path keeps `+` as it is when asked to.
    @Test func plusStaysInPaths() {
        #expect(PercentEncoding.decoded("a+b%20c", plusIsSpace: false) == "a+b c")
        #expect(PercentEncoding.decoded("a+b%20c") == "a b c")
    }

    /// HTML escaping covers the five characters that matter in content and quoted attributes, and reverses.
    @Test func htmlEscapingRoundTrips() {
        let text = #"<a href="x">Tom & Jerry's</a>"#
        #expect(HTMLEscaping.escape(text) == "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;")
        #expect(HTMLEscaping.unescape(HTMLEscaping.escape(text)) == text)
        #expect(HTMLEscaping.unescape("&amp;lt;") == "&lt;")
    }
}
