import DialogModel
import ParleyJSON
import Testing
import Understanding

@Suite struct ScalarEntityTests {
    /// Numbers are read from digits, separators, suffixes and words.
    @Test(arguments: [
        ("42", 42.0), ("1,234.5", 1234.5), ("-3", -3), ("forty two", 42), ("forty-two", 42), ("twelve", 12),
        ("1.2k", 1200), ("one hundred and five", 105), ("a thousand", 1000), ("2.5 million", 2_500_000),
        ("about 42 I think", 42),
    ])
    func numbers(answer: String, expected: Double) {
        #expect(value(.number, answer) == .number(expected))
    }

    /// Text that holds no number is refused with a reason.
    @Test(arguments: ["abc", "12,34", "two two", "3 or 4"])
    func notNumbers(answer: String) {
        #expect(value(.number, answer) == nil)
    }

    /// Amounts carry their currency, USD when none is said.
    @Test(arguments: [
        ("$50k", money(50_000, "USD")), ("50,000 USD", money(50_000, "USD")), ("€1.2m", money(1_200_000, "EUR")),
        ("1500 dollars", money(1500, "USD")), ("50k", money(50_000, "USD")), ("EUR 300", money(300, "EUR")),
        ("£20", money(20, "GBP")), ("$1.5 million", money(1_500_000, "USD")),
        ("fifty thousand dollars", money(50_000, "USD")), ("half a million", money(500_000, "USD")),
        ("a half million euros", money(500_000, "EUR")), ("a quarter of a million", money(250_000, "USD")),
        ("quarter million", money(250_000, "USD")), ("three quarters of a million euros", money(750_000, "EUR")),
        // Scales and separators as written around the world, and currencies beyond the common ones.
        ("45 lakh", money(4_500_000, "USD")), ("Rs 12 lakh", money(1_200_000, "INR")), ("₹45 lakh", money(4_500_000, "INR")),
        ("3 crore taka", money(30_000_000, "BDT")), ("€1,2 Mio.", money(1_200_000, "EUR")),
        ("65 000 $ CAD", money(65_000, "CAD")), ("1 200 000 EUR", money(1_200_000, "EUR")),
        ("XOF 250 million", money(250_000_000, "XOF")), ("2.4M CZK", money(2_400_000, "CZK")),
        ("PHP 6,500,000", money(6_500_000, "PHP")),
    ])
    func amounts(answer: String, expected: JSONValue) {
        #expect(value(.amount, answer) == expected)
    }

    /// Percentages are the number of percent as written; a bare number is taken as written.
    @Test(arguments: [("60%", 60.0), ("60 %", 60), ("60 percent", 60), ("sixty percent", 60), ("0.6", 0.6), ("12.5%", 12.5)])
    func percentages(answer: String, expected: Double) {
        #expect(value(.percentage, answer) == .number(expected))
    }

    /// Minimum and maximum rules apply to numbers, amounts and percentages.
    @Test func numericRules() {
        let rules = EntityRules(minimum: 0, maximum: 100)
        #expect(value(.percentage, "60%", rules: rules) == .number(60))
        #expect(recognize(.percentage, "120%", rules: rules) == .invalid(reason: "That must be at most 100"))
        #expect(recognize(.number, "-3", rules: rules) == .invalid(reason: "That must be at least 0"))
        #expect(isInvalid(recognize(.amount, "$500", rules: rules)))
    }

    /// Emails keep the local part and lowercase the domain; malformed ones are refused.
    @Test func emails() {
        #expect(value(.email, "Jane.Doe@ACME.com") == .string("Jane.Doe@acme.com"))
        #expect(value(.email, "my email is bob@Example.org") == .string("bob@example.org"))
        #expect(recognize(.email, "bob@") == .invalid(reason: "That email address isn't valid"))
        #expect(recognize(.email, "no idea") == .invalid(reason: "That isn't an email address"))
        #expect(value(.email, "a@b") == nil)
    }

    /// Phone numbers keep their digits and a leading plus; they need 7 to 15 digits.
    @Test(arguments: [
        ("(415) 555-0100", "4155550100"), ("+1 415 555 0100", "+14155550100"), ("415.555.0100", "4155550100"),
        ("5550100", "5550100"), ("call me at +44 20 7946 0958", "+442079460958"),
    ])
    func phones(answer: String, expected: String) {
        #expect(value(.phone, answer) == .string(expected))
    }

    /// Too few or too many digits, or no digits at all, are not phone numbers.
    @Test(arguments: ["12345", "1234567890123456", "call me"])
    func notPhones(answer: String) {
        #expect(isInvalid(recognize(.phone, answer)))
    }

    /// Web addresses are http or https; bare domains get https.
    @Test func urls() {
        #expect(value(.url, "acme.com") == .string("https://acme.com"))
        #expect(value(.url, "www.acme.co.uk/about") == .string("https://www.acme.co.uk/about"))
        #expect(value(.url, "https://Acme.com/Path") == .string("https://acme.com/Path"))
        #expect(value(.url, "http://localhost:8080/x") == .string("http://localhost:8080/x"))
        #expect(isInvalid(recognize(.url, "ftp://acme.com")))
        #expect(isInvalid(recognize(.url, "jane@acme.com")))
        #expect(isInvalid(recognize(.url, "hello")))
    }

    /// Everyday yes and no words are read; "cancel" is not a no.
    @Test(arguments: [
        ("yes", true), ("Yeah", true), ("yep!", true), ("sure", true), ("ok", true), ("correct", true),
        ("go ahead", true), ("affirmative", true), ("y", true), ("yes please", true), ("no", false),
        ("nope", false), ("nah", false), ("negative", false), ("n", false), ("don't", false), ("no thanks", false),
        ("hmm actually no, keep it", false), ("um, yes", true), ("wait no", false), ("perfect", true),
        ("Looks good!", true), ("perfect, save it", true), ("that's fine", true), ("perfect but not yet", nil),
    ])
    func yesNo(answer: String, expected: Bool?) {
        if let expected {
            #expect(value(.yesNo, answer) == .bool(expected))
        } else {
            #expect(recognize(.yesNo, answer) == .invalid(reason: "Please answer yes or no"))
        }
    }

    /// A whole yes may say the action again ("yes, delete it"), never something more or against it.
    @Test func wholeYes() {
        for answer in ["yes", "go ahead", "yes, delete it", "yes go ahead and do it", "hmm, yes please"] {
            #expect(YesNo.isWholeYes(answer), "\(answer)")
        }
        for answer in ["sure, in a bit", "yes don't delete it", "yes but not now", "delete it", "no", "great", "perfect"] {
            #expect(!YesNo.isWholeYes(answer), "\(answer)")
        }
    }

    /// Answers that are neither yes nor no are refused.
    @Test(arguments: ["cancel", "maybe", "blue", "hmm", "well, maybe"])
    func neitherYesNorNo(answer: String) {
        #expect(recognize(.yesNo, answer) == .invalid(reason: "Please answer yes or no"))
    }

    /// Strings are trimmed and checked against length and pattern rules.
    @Test func strings() {
        #expect(value(.string, "  Acme Corp  ") == .string("Acme Corp"))
        #expect(recognize(.string, "   ") == .empty)
        #expect(isInvalid(recognize(.string, "A", rules: EntityRules(minLength: 2))))
        #expect(recognize(.string, "Acme", rules: EntityRules(maxLength: 3)) == .invalid(reason: "That's too long (at most 3 characters)"))
        #expect(value(.string, "AB-12", rules: EntityRules(pattern: "^[A-Z]{2}-\\d+$")) == .string("AB-12"))
        #expect(isInvalid(recognize(.string, "ab12", rules: EntityRules(pattern: "^[A-Z]{2}-\\d+$"))))
    }

    /// Person names are capitalized and stripped of introductions; digits and emails are refused.
    @Test(arguments: [
        ("jane o'neil", "Jane O'Neil"), ("my name is jane doe", "Jane Doe"), ("it's bob", "Bob"),
        ("JANE DOE", "Jane Doe"), ("mary-jane watson", "Mary-Jane Watson"), ("Ronald McDonald", "Ronald McDonald"),
        ("ludwig van beethoven", "Ludwig van Beethoven"),
    ])
    func personNames(answer: String, expected: String) {
        #expect(value(.personName(.full), answer) == .string(expected))
    }

    /// Text with digits or an email address is not a name, nor is a yes or no on its own.
    @Test(arguments: ["jane2", "jane@acme.com", "42", "yes", "Nope", "ok"])
    func notPersonNames(answer: String) {
        #expect(isInvalid(recognize(.personName(.full), answer)))
    }

    /// A regex entity takes the whole answer when it matches, otherwise the first match in it.
    @Test func regexEntities() {
        let type = EntityType.regex(pattern: "[A-Z]{3}-\\d{4}")
        #expect(value(type, "ABC-1234") == .string("ABC-1234"))
        #expect(value(type, "it's ABC-1234 I think") == .string("ABC-1234"))
        #expect(isInvalid(recognize(type, "abc")))
        #expect(isInvalid(recognize(.regex(pattern: "(unclosed"), "abc")))
    }

    /// Record ids have 15 or 18 letters and digits and, when asked, the object's key prefix.
    @Test func salesforceIDs() {
        let lead = EntityType.salesforceID(keyPrefix: "00Q")
        #expect(value(lead, "00Q5g00000ABCDE") == .string("00Q5g00000ABCDE"))
        #expect(value(lead, "00Q5g00000ABCDEFGH") == .string("00Q5g00000ABCDEFGH"))
        #expect(isInvalid(recognize(lead, "0015g00000ABCDE")))
        #expect(isInvalid(recognize(lead, "00Q5g")))
        #expect(isInvalid(recognize(.salesforceID(keyPrefix: nil), "characteristics")))
        #expect(value(.salesforceID(keyPrefix: nil), "0015g00000ABCDE") == .string("0015g00000ABCDE"))
    }

    /// Values are found in free text with the words they came from.
    @Test func findingInFreeText() {
        let text = "Email jane@acme.com or call (415) 555-0100 about the $50k deal at 60% on acme.com"
        func found(_ type: EntityType) -> [String] {
            EntityRecognizer(type: type, calendar: utc).find(in: text).map(\.text)
        }
        #expect(found(.email) == ["jane@acme.com"])
        #expect(found(.phone) == ["(415) 555-0100"])
        #expect(found(.amount) == ["$50k"])
        #expect(found(.percentage) == ["60%"])
        #expect(found(.url) == ["acme.com"])
        #expect(found(.string).isEmpty)
        let match = EntityRecognizer(type: .email, calendar: utc).find(in: text).first
        #expect(match.map { String(text[$0.range]) } == "jane@acme.com")
    }

    /// Values that start with a word, a sign or a currency are found as readily as those that start with digits, and
    /// text without digits, an @ or a dot holds no phone, id, email or web address.
    @Test func findingValuesThatStartWithoutDigits() {
        func found(_ type: EntityType, in text: String) -> [String] {
            EntityRecognizer(type: type, calendar: utc).find(in: text).map(\.text)
        }
        #expect(found(.number, in: "about forty-two of them, minus 3 returned") == ["forty-two", "minus 3"])
        #expect(found(.amount, in: "pay EUR 300 or five thousand dollars") == ["EUR 300", "five thousand dollars"])
        #expect(found(.amount, in: "it was 300€ and then -$50k") == ["300€", "-$50k"])
        #expect(found(.amount, in: "worth half a million, give or take") == ["half a million"])
        #expect(found(.amount, in: "called Silo Sensors, quarter of a million, prospecting") == ["quarter of a million"])
        // Digits in groups of three are one amount only with a currency; without one they may be a phone.
        #expect(found(.amount, in: "Beauce Sap Line, 65 000 $ CAD, needs analysis") == ["65 000 $ CAD"])
        #expect(found(.amount, in: "call 555 210 about it") == [])
        #expect(found(.percentage, in: "give them five% or ten percent") == ["five%", "ten percent"])
        #expect(found(.url, in: "see http://localhost:8080/status") == ["http://localhost:8080/status"])
        #expect(found(.phone, in: "call me maybe, Jane") == [])
        #expect(found(.email, in: "write to jane at acme dot com") == [])
        #expect(found(.salesforceID(keyPrefix: nil), in: "characteristics of abcdefghijklmno") == [])
    }

    /// Dates and decimals in free text are not phone numbers.
    @Test func phonesAreNotDates() {
        let recognizer = EntityRecognizer(type: .phone, calendar: utc)
        #expect(recognizer.find(in: "due 2026-03-02, score 3.14159265").isEmpty)
    }
}
