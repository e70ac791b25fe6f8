import DialogModel
import Foundation

extension IntentClassifier {
    /// What an intent that makes a record from values needs to be known by a row of them: its list slots, when it
    /// also takes an amount ("Create Opportunity": its stage). `nil` for intents that take a record, read, destroy,
    /// or take no amount.
    static func detailLists(of intent: Intent, reads: Bool, takesRecord: Bool) -> [ListMatcher]? {
        guard !intent.isDestructive, !reads, !takesRecord,
            intent.slots.values.contains(where: { if case .amount = $0.type { true } else { false } })
        else { return nil }
        let lists = intent.slots.values.compactMap { slot -> ListMatcher? in
            guard case .list(let list) = slot.type, list.valuesFrom == nil else { return nil }
            return ListMatcher.matching(list.items)
        }
        return lists.isEmpty ? nil : lists
    }

    /// The intent a row of a new record's values asks for: "Alentejo Cork Dryer Retrofit | Alentejo Cork Industries |
    /// €1,2 Mio. | Prospecting | 2026-10-15", "Highveld Broiler House Sensors on Highveld Poultry — 300 grand — needs
    /// analysis — March 31". Fields apart by commas, bars or dashes give an amount, a value of the intent's list and
    /// a date or a third field, and no percentage or word asks to change, show or remove a record: a row of what a record is, not
    /// of what to change on one ("Umbrella Vaccine Logistics: amount 310k, close next Friday" names no stage; "move
    /// X to negotiation, 95k" says how to change it).
    func newRecordFromDetails(_ request: String, tokens: [IntentToken]) -> Int? {
        guard !detailLists.isEmpty else { return nil }
        let separators = Self.fieldSeparators(in: request)
        guard separators >= 2,
            !tokens.contains(where: { !$0.negated && (Self.changeWords.contains($0.stem) || otherVerbs.contains($0.stem)) })
        else { return nil }
        let calendar = RecognitionCalendar(now: .distantPast, timeZone: .gmt)
        guard !EntityRecognizer(type: .amount, calendar: calendar).find(in: request).isEmpty else { return nil }
        // A probability is set on a deal there is: "Volta Substation Monitoring: amount 1.9M, probability 40%, stage
        // value prop".
        guard EntityRecognizer(type: .percentage, calendar: calendar).find(in: request).isEmpty else { return nil }
        let dated = !EntityRecognizer(type: .date, calendar: calendar).find(in: request).isEmpty
        guard dated || separators >= 3 else { return nil }
        return detailLists.first { _, lists in
            lists.contains { !$0.occurrences(in: request).isEmpty }
        }?.label
    }

    /// Marks that part fields of a row: a comma, semicolon or colon before a space, and a bar, slash or dash standing
    /// alone.
    private static func fieldSeparators(in request: String) -> Int {
        var count = 0
        if request.isASCII {
            // ASCII, the common case, a byte at a time.
            let bytes = Array(request.utf8)
            for (index, byte) in bytes.enumerated() {
                let before = index > 0 ? bytes[index - 1] : 0x20
                let after = index + 1 < bytes.count ? bytes[index + 1] : 0x20
                if byte == UInt8(ascii: ",") || byte == UInt8(ascii: ";") || byte == UInt8(ascii: ":") {
                    if after == 0x20 { count += 1 }
                } else if byte == UInt8(ascii: "|") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "-") {
                    if before == 0x20, after == 0x20 { count += 1 }
                }
            }
            return count
        }
        var previous: Character = " "
        for (index, character) in zip(request.indices, request) {
            let next = request.index(after: index) < request.endIndex ? request[request.index(after: index)] : " "
            if ",;:".contains(character), next == " " {
                count += 1
            } else if "|/—–-".contains(character), previous == " ", next == " " {
                count += 1
            }
            previous = character
        }
        return count
    }

    /// Words that ask to change a record's values rather than say what a new one's are.
    private static let changeWords: Set<String> = Set(
        [
            "to", "now", "move", "moved", "push", "pushed", "bump", "mark", "should", "fix", "correct", "change", "set",
            "make", "rename", "drop", "raise", "lower", "slip", "slipped", "instead", "updated", "revise", "was",
        ]
        .map(Stemmer.stem))
}
