/// Phrases whose destructive-sounding verb destroys nothing, read for what they mean before the verb can count:
/// "15 min to kill before the demo, list my open deals" lists, "dump my leads here pls" shows.
extension IntentText {
    /// Words for a stretch of time, which "to kill" after them makes idle: "10 min to kill".
    private static let spansOfTime: Set<String> = [
        "time", "min", "mins", "minute", "minutes", "hour", "hours", "hr", "hrs", "sec", "secs", "moment", "while",
    ]

    /// Names of fields that "new" before them gives a new value, as in "new close date", "her new title".
    private static let fieldWordsAfterNew: Set<String> = [
        "close", "closing", "amount", "stage", "title", "email", "phone", "number", "mobile", "address", "owner", "rating",
        "status", "value", "budget", "surname",
    ]

    /// Words that put what a "dump" gives in front of the one asking: "dump my leads here", "dump them out".
    private static let ontoTheScreen: Set<String> = ["here", "out", "onscreen"]

    /// Where "take" sends a record out of the books: "take the Kumasi lead out of salesforce entirely", "take it off
    /// the books". Taken out of a stage or off a field ("take it out of negotiation", "take the hot rating off Martha")
    /// it only changes.
    private static let outOfTheBooks: [[String]] = [
        ["off", "the", "books"], ["out", "of", "the", "books"], ["off", "our", "books"], ["out", "of", "salesforce"],
        ["out", "of", "the", "system"], ["out", "of", "our", "system"], ["out", "of", "the", "crm"], ["out", "of", "crm"],
        ["out", "of", "the", "database"], ["off", "salesforce"], ["off", "the", "system"],
    ]

    /// Verbs that, with "in" or "into" a place records are kept, add a record: "stick him in leads", "pop her into
    /// salesforce". Put "in" a stage ("put it in negotiation"), a record only changes.
    private static let putInVerbs: Set<String> = ["stick", "pop", "bung", "chuck", "shove", "throw"]

    /// Places records are kept, which a record put in is added to.
    private static let recordKeeping: Set<String> = [
        "leads", "lead", "salesforce", "sf", "crm", "system", "pipeline", "opps", "opportunities", "deals",
    ]

    /// Whether the verb at `index` puts something in a place records are kept: "in" or "into" within the next three
    /// words, then the place, after "the" or "our" if need be.
    private static func putsInRecords(_ tokens: [IntentToken], at index: Int) -> Bool {
        guard putInVerbs.contains(tokens[index].word) else { return false }
        return (index + 1..<min(index + 4, tokens.count)).contains { position in
            guard ["in", "into"].contains(tokens[position].word) else { return false }
            let place = tokens[(position + 1)...].drop { ["the", "our", "my", "as", "a", "new"].contains($0.word) }.first
            return place.map { recordKeeping.contains($0.word) } ?? false
        }
    }

    /// Words before the record something is added to that make it one already there: "to the lead", "to his lead".
    private static let knownRecordOwners: Set<String> = ["the", "his", "her", "their", "its", "that", "this"]

    /// Whether "add" at `index` adds something to one record already there: "to" or "onto" within the next five
    /// words, then "the", "his" or the like, a name if any, and a word for one record. "add her to leads" adds one.
    private static func addsToOneRecord(_ tokens: [IntentToken], at index: Int) -> Bool {
        guard tokens[index].word == "add" else { return false }
        return (index + 1..<min(index + 6, tokens.count)).contains { position in
            guard ["to", "onto"].contains(tokens[position].word), position + 1 < tokens.count else { return false }
            let owner = tokens[position + 1]
            guard knownRecordOwners.contains(owner.word) || owner.possessive else { return false }
            // The owner's name, a few words at most, then the record: "to the Gulf Horizon lead", "to Jane's record".
            let rest = tokens[(position + (owner.possessive ? 1 : 2))...].prefix(5)
            return rest.contains { oneRecord.contains($0.word) }
        }
    }

    /// The length of the phrase of ``outOfTheBooks`` at `index`, if one stands there.
    private static func outOfTheBooksLength(_ tokens: [IntentToken], at index: Int) -> Int? {
        outOfTheBooks.first { phrase in
            index + phrase.count <= tokens.count && phrase.indices.allSatisfy { tokens[index + $0].word == phrase[$0] }
        }?.count
    }

    /// The tokens with the idle "to kill" of a stretch of time dropped ("got 10 min to kill", "kill some time"), and
    /// a "dump" that puts records in front of the one asking read as "show", a "take" out of the books as "delete", and
    /// a "stick" or a "pop" into the records as "add".
    static func readingIdioms(_ tokens: [IntentToken]) -> [IntentToken] {
        var result: [IntentToken] = []
        var skipped = Set<Int>()
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            if skipped.contains(index) {
                index += 1
                continue
            }
            // "add it to his lead", "add her cell to the Gulf Horizon lead": a record that is there only changes.
            if Self.addsToOneRecord(tokens, at: index) {
                result.append(IntentToken(stem: Stemmer.stem("update"), word: "update"))
                index += 1
                continue
            }
            if putsInRecords(tokens, at: index) {
                result.append(IntentToken(stem: Stemmer.stem("add"), word: "add"))
                index += 1
                continue
            }
            if token.word == "take" || token.word == "taking",
                let offset = (1...8).first(where: { index + $0 < tokens.count && outOfTheBooksLength(tokens, at: index + $0) != nil }),
                let length = outOfTheBooksLength(tokens, at: index + offset)
            {
                result.append(IntentToken(stem: Stemmer.stem("delete"), word: "delete"))
                skipped.formUnion((index + offset)..<(index + offset + length))
                index += 1
                continue
            }
            let next = tokens[(index + 1)...].prefix(2).map(\.word)
            if token.word == "kill", next.first == "time" || next == ["some", "time"] {
                index += 1 + next.prefix { $0 == "some" || $0 == "time" }.count
                continue
            }
            if token.word == "to", next.first == "kill", let before = result.last, spansOfTime.contains(before.word) {
                index += 2
                continue
            }
            // "new close date end of April", "new close is Nov 30": a field's new value, not a new record.
            if token.word == "new", let following = next.first, Self.fieldWordsAfterNew.contains(following) {
                index += 1
                continue
            }
            if token.word == "dump", tokens[(index + 1)...].prefix(4).contains(where: { ontoTheScreen.contains($0.word) }) {
                result.append(IntentToken(stem: Stemmer.stem("show"), word: "show"))
                index += 1
                continue
            }
            result.append(token)
            index += 1
        }
        return result
    }
}
