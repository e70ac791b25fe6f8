import Testing
import Understanding

@Suite struct SmallTalkTests {
    @Test(arguments: [
        ("hi", SmallTalk.greeting), ("Hey there!", .greeting), ("good morning", .greeting), ("hello, how are you?", .greeting),
        ("thanks!", .thanks), ("thank you so much", .thanks), ("ok great, thanks", .thanks), ("Cheers", .thanks),
        ("bye", .goodbye), ("ok, that's all", .goodbye), ("see you later", .goodbye), ("thanks, bye", .goodbye),
        // Thanks and approval in any order and shorthand.
        ("ok cool thx", .thanks), ("ty, perfect", .thanks), ("nice one, thank you", .thanks), ("great job thx!", .thanks),
    ])
    func wholeMessages(message: String, expected: SmallTalk) {
        #expect(SmallTalk.read(message) == expected)
    }

    /// Small talk around a request leaves the request to be read: it is small talk only when it is the whole message.
    @Test(arguments: [
        "hi, create a lead for Jane Doe at Acme", "thanks, now delete Jane's lead", "hello Acme", "great deal for Acme",
        "show me the Globex deal", "", "bye the way, list my leads", "cool, thx, now show it", "great thx delete it",
    ])
    func requestsAreNotSmallTalk(message: String) {
        #expect(SmallTalk.read(message) == nil)
    }
}
