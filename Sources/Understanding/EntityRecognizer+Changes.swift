import DialogModel
import ParleyJSON

extension EntityRecognizer {
    /// Field changes from an answer: "status to Working and title to CTO".
    func recognizeChanges(_ answer: String, spec: ChangesSpec) -> Recognition {
        let reading = ChangeReading(spec: spec, calendar: calendar).read(answer, strict: true)
        if let problem = reading.problem { return .invalid(reason: problem) }
        guard let found = reading.found, case .object(let fields) = found.value, !fields.isEmpty else {
            return .invalid(reason: "I didn't catch which field to change and to what")
        }
        return .value(found.value, text: answer)
    }

    /// Field changes said anywhere in an utterance, as one match from the first field named to the
    /// last value: "update Jane's lead, set status to Working and title to CTO".
    func findChanges(in utterance: String, spec: ChangesSpec) -> [Match] {
        let reading = ChangeReading(spec: spec, calendar: calendar).read(utterance)
        guard reading.problem == nil, let found = reading.found else { return [] }
        return [found]
    }
}

/// Reads field changes: each field named by one of its words, followed by its new value.
///
/// The value of a field runs from after its name (and a "to", "is", "as" or ":") to the next field
/// named, and is read as the field's type: "amount to 75k" gives 75000, "stage to negotiation"
/// the list value "Negotiation/Review". With no field named, a value only one field can hold
/// still counts: "mark her as working" sets the status, "bump it to 80k" the amount.
struct ChangeReading {
    let spec: ChangesSpec
    let calendar: RecognitionCalendar

    /// Words between a field's name and its value.
    private static let leading: Set<String> = [
        "to", "is", "as", "=", ":", "be", "into", "now", "should", "will", "becomes", "become", "equals", "at", "it's",
        "its", "changed", "needs", "need", "must", "has", "been", "moved", "set", "updated", "being",
    ]
    /// Words after which a value's words say what it is not: "Phone Inquiry not Web".
    private static let contrasts: Set<String> = ["not", "instead", "rather", "versus", "vs"]
    /// Words after a value that only join it to the next change.
    private static let trailing: Set<String> = [
        "and", "also", "plus", "then", "set", "change", "update", "make", "the", "his", "her", "their", "its",
        "&", "please", "too", "as", "well", "while", "you're", "youre", "at", "it", "on", "with", "now", "asap",
        "anymore", "instead",
    ]
    /// Verbs that start another change after "and": "title is VP of Operations and mark him as working".
    private static let verbs: Set<String> = [
        "mark", "set", "make", "change", "update", "move", "put", "bump", "flag", "give", "add", "switch", "push",
    ]
    /// Words that end a value: what follows is about the record, not the value ("title to CTO for Jane").
    private static let stops: Set<String> = ["for", "on"]

    struct Reading {
        var found: EntityRecognizer.Match?
        var problem: String?
        /// Where the field names and their values stand, without the words skipped between them
        /// ("amount on Globex Fleet to 75k" leaves "on Globex Fleet" to other entities).
        var spans: [Range<String.Index>] = []
    }

    /// Reads the changes in a text. `strict` (a direct answer) reports a value that does not fit
    /// its field; otherwise (free text) such a field is left out.
    func read(_ text: String, strict: Bool = false) -> Reading {
        let tokens = WordToken.tokens(in: text)
        // Words of a list value are never a field's name: "value proposition" is a stage, not an amount.
        let listValues = spec.fields.flatMap { field -> [Range<String.Index>] in
            guard case .list = field.type else { return [] }
            return EntityRecognizer(type: field.type, calendar: calendar).find(in: text).map(\.range)
        }
        // Nor is a capitalized word inside a name: "Umbrella Pilot Phase Two" names no stage.
        let mentions = self.mentions(in: tokens).filter { mention in
            let range = tokens.sourceRange(of: mention.start..<mention.end)
            return !listValues.contains { $0.overlaps(range) }
                && !EntityExtractor.isInsideCapitalizedName(range, tokens: tokens, utterance: text)
        }
        var values: [String: JSONValue] = [:]
        var spans: [Range<String.Index>] = []
        var unvalued: [Mention] = []
        var emptied: [(field: String, span: Range<String.Index>)] = []
        for (offset, mention) in mentions.enumerated() {
            let limit = offset + 1 < mentions.count ? mentions[offset + 1].start : tokens.count
            var lower = mention.end
            var upper = limit
            // "update her title and mark her as contacted", "close date out two weeks and bump it to 30k": the next
            // change starts at "and" and its verb, even right after the field, whatever "to" it has.
            if let next = (lower..<upper).first(where: {
                tokens[$0].lower == "and" && $0 + 1 < upper && Self.verbs.contains(tokens[$0 + 1].lower)
            }) {
                upper = next
            }
            // "status from Open to Working": the value is what follows the last "to".
            if let to = (lower..<upper).last(where: { tokens[$0].lower == "to" }), to > lower { lower = to }
            while lower < upper, Self.leading.contains(tokens[lower].lower) { lower += 1 }
            if let stop = (lower..<upper).first(where: {
                (Self.stops.contains(tokens[$0].lower) || Self.contrasts.contains(tokens[$0].lower)) && $0 > lower
                    || !strict && $0 > lower && tokens.punctuation(between: $0 - 1, and: $0, in: text)
            }) {
                upper = stop
            }
            while upper > lower, Self.trailing.contains(tokens[upper - 1].lower) { upper -= 1 }
            let valueless = upper <= lower || Self.recordCues.contains(tokens[lower].lower)
            // "remove the phone number from Tariq's lead", "clear her email": the field is emptied.
            if valueless, let verb = clearingVerb(before: mention.start, in: tokens) {
                emptied.append((mention.field.name, tokens.sourceRange(of: verb..<mention.end)))
                continue
            }
            // "her company on the lead": a field named without a value.
            guard !valueless else {
                unvalued.append(mention)
                continue
            }
            let valueText = String(tokens.text(of: lower..<upper, in: text))
            switch value(of: mention.field, from: valueText) {
            case .success(let value):
                values[mention.field.name] = value
                spans.append(tokens.sourceRange(of: mention.start..<mention.end))
                spans.append(tokens.sourceRange(of: lower..<upper))
                // "close date needs to go back a month": the words leading to the value are no value of another field.
                if mention.end < lower,
                    (mention.end..<lower).allSatisfy({
                        Self.leading.contains(tokens[$0].lower) || Self.shiftOpeners.contains(tokens[$0].lower)
                    })
                {
                    spans.append(tokens.sourceRange(of: mention.end..<lower))
                }
            case .failure(let problem):
                if strict { return Reading(problem: problem.reason) }
            }
        }
        // "push the close date on Rift Valley out two weeks": a date named without a value, moved by a span said after
        // the record.
        if !strict, unvalued.count == 1, let mention = unvalued.first, case .date = mention.field.type,
            let (range, shift) = shiftSaidElsewhere(in: tokens, text: text, after: mention.end, avoiding: spans)
        {
            values[mention.field.name] = ["shift": .string(shift)]
            spans.append(tokens.sourceRange(of: mention.start..<mention.end))
            spans.append(range)
            unvalued = []
        }
        // "she's now COO, update her title": one field named without a value, whose value is said elsewhere.
        if !strict, unvalued.count == 1, let mention = unvalued.first,
            let (range, value) = valueSaidElsewhere(for: mention.field, in: tokens, text: text, avoiding: spans)
        {
            values[mention.field.name] = value
            spans.append(tokens.sourceRange(of: mention.start..<mention.end))
            spans.append(range)
        }
        valuesOnly(in: text, into: &values, spans: &spans)
        // Emptied, unless a new value is said too: "wipe the old email and put jdubois@renault-fleet.fr instead".
        for (field, span) in emptied where values[field] == nil {
            values[field] = .null
            spans.append(span)
        }
        guard !values.isEmpty, let first = spans.map(\.lowerBound).min(), let last = spans.map(\.upperBound).max() else {
            return Reading()
        }
        return Reading(found: .init(value: .object(values), text: String(text[first..<last]), range: first..<last), spans: spans)
    }

    /// Words right after a field's name that lead to the record, not to a value: "phone on the lead".
    private static let recordCues: Set<String> = ["on", "of", "for", "in", "at", "from"]
    /// Verbs that empty a field named right after them; the intent classifier reads them the same way.
    static let clearingVerbs: Set<String> = [
        "remove", "clear", "delete", "erase", "blank", "wipe", "drop", "unset", "empty", "scrub", "strip",
    ]
    /// Words between a clearing verb and the field's name: "clear the email", "remove her phone".
    private static let fieldDeterminers: Set<String> = ["the", "his", "her", "their", "its", "that", "this", "old", "a"]

    /// Where a verb that empties the field named at `start` stands: "remove the phone", "clear Jane Doe's email".
    private func clearingVerb(before start: Int, in tokens: [WordToken]) -> Int? {
        var index = start - 1
        while index >= 0, Self.fieldDeterminers.contains(tokens[index].lower) { index -= 1 }
        // Whose field it is, a name of up to three words: "Jane Doe's".
        if index >= 0, tokens[index].lower.hasSuffix("'s") || tokens[index].lower.hasSuffix("’s") {
            let owner = index
            index -= 1
            while index >= 0, owner - index < 3, !Self.clearingVerbs.contains(tokens[index].lower) { index -= 1 }
            while index >= 0, Self.fieldDeterminers.contains(tokens[index].lower) { index -= 1 }
        }
        guard index >= 0, Self.clearingVerbs.contains(tokens[index].lower) else { return nil }
        return index
    }

    private struct Mention {
        var field: ChangesSpec.Field
        var start: Int
        var end: Int
    }

    /// Each place a field is named, longest names first, left to right, without overlaps.
    private func mentions(in tokens: [WordToken]) -> [Mention] {
        let lowered = tokens.map(\.lower)
        var candidates: [Mention] = []
        for field in spec.fields {
            for phrase in field.words {
                let words = WordToken.tokens(in: phrase).map(\.lower)
                guard !words.isEmpty, words.count <= lowered.count else { continue }
                for start in 0...(lowered.count - words.count)
                where zip(lowered[start...], words).allSatisfy({ $0 == $1 || $0 == $1 + "s" }) {
                    candidates.append(Mention(field: field, start: start, end: start + words.count))
                }
            }
        }
        candidates.sort { ($0.end - $0.start, -$0.start) > ($1.end - $1.start, -$1.start) }
        var taken = [Bool](repeating: false, count: tokens.count)
        var chosen: [Mention] = []
        for candidate in candidates where !taken[candidate.start..<candidate.end].contains(true) {
            for index in candidate.start..<candidate.end { taken[index] = true }
            chosen.append(candidate)
        }
        // A field named twice keeps its first place.
        var seen = Set<String>()
        return chosen.sorted { $0.start < $1.start }.filter { seen.insert($0.field.name).inserted }
    }

    private struct Problem: Error {
        var reason: String
    }

    /// The field's value read from its words.
    private func value(of field: ChangesSpec.Field, from text: String) -> Result<JSONValue, Problem> {
        // "push the close date out two weeks": moved from the date the record has, which the task knows.
        if case .date = field.type, let shift = Self.shift(in: text) { return .success(["shift": .string(shift)]) }
        let recognizer = EntityRecognizer(type: field.type, calendar: calendar)
        switch recognizer.recognize(text) {
        case .value(let value, _):
            // Salesforce takes an amount as a number.
            if case .amount = field.type, case .number(let amount)? = value["amount"] { return .success(.number(amount)) }
            return .success(value)
        case .ambiguous(let items):
            return .failure(
                Problem(reason: "Which \(field.words.first ?? field.name) did you mean: \(items.map(\.display).joined(separator: ", "))?"))
        case .invalid(let reason):
            return .failure(Problem(reason: "\(reason) for the \(field.words.first ?? field.name)"))
        case .empty:
            return .failure(Problem(reason: "What should the \(field.words.first ?? field.name) be?"))
        }
    }

    /// How far a date moves when the value is only a span of time, as a sign, a count and `d` for days or `m` for
    /// months: "out two weeks" is `+14d`, "back a month" `+1m` (pushed back is later), "a week earlier" `-7d`. `nil`
    /// for anything else, a date ("to the 26th", "in two weeks" from today) included.
    static func shift(in text: String) -> String? {
        var words = WordToken.tokens(in: text).map(\.lower)
        var sign = "+"
        while let first = words.first, shiftOpeners.contains(first) { words.removeFirst() }
        while let last = words.last, shiftClosers.contains(last) {
            if shiftsEarlier.contains(last) { sign = "-" }
            words.removeLast()
        }
        guard words.count >= 2, let unit = shiftUnits[words[words.count - 1]] else { return nil }
        let counted = words.dropLast()
        let count: Double?
        switch counted.joined(separator: " ") {
        case "a", "an", "one": count = 1
        case "a couple of", "couple of", "a couple": count = 2
        default: count = NumberReading.number(counted)
        }
        guard let count, count > 0, count == count.rounded(), count * Double(unit.size) <= 3_660 else { return nil }
        return "\(sign)\(Int(count) * unit.size)\(unit.letter)"
    }

    /// A span that moves a date, said after its field's name and apart from other changes: it opens with a word that
    /// says it moves ("out two weeks", "by 10 days") or closes with one ("a week later"), so "they sign in two weeks"
    /// is no shift.
    private func shiftSaidElsewhere(
        in tokens: [WordToken], text: String, after start: Int, avoiding spans: [Range<String.Index>]
    ) -> (Range<String.Index>, String)? {
        for unit in tokens.indices where unit > start && Self.shiftUnits[tokens[unit].lower] != nil {
            for first in max(start, unit - 4)..<unit {
                for last in unit...min(unit + 1, tokens.count - 1) {
                    let opens = Self.shiftOpeners.contains(tokens[first].lower)
                    let closes = last > unit && Self.shiftClosers.contains(tokens[last].lower)
                    guard opens || closes else { continue }
                    let range = tokens.sourceRange(of: first..<(last + 1))
                    guard !spans.contains(where: { $0.overlaps(range) }), let shift = Self.shift(in: String(text[range])) else {
                        continue
                    }
                    return (range, shift)
                }
            }
        }
        return nil
    }

    /// Words before a span that say it moves the date: "out", "back", "by", "another".
    private static let shiftOpeners: Set<String> = [
        "out", "back", "by", "another", "forward", "ahead", "over", "go", "goes", "going", "went", "gone", "push", "pushed",
        "move", "moved", "slip", "slips", "slipped", "slide", "slid",
    ]
    /// Words after a span that say it moves the date earlier.
    private static let shiftsEarlier: Set<String> = ["earlier", "sooner", "forward"]
    /// Words after a span that say it moves the date: later, or earlier (``shiftsEarlier``).
    private static let shiftClosers = shiftsEarlier.union(["out", "back", "later", "more", "further"])
    /// The words for units of time a date moves by.
    static let unitsOfTime = Set(shiftUnits.keys)
    private static let shiftUnits: [String: (size: Int, letter: Character)] = [
        "day": (1, "d"), "days": (1, "d"), "week": (7, "d"), "weeks": (7, "d"), "month": (1, "m"), "months": (1, "m"),
        "quarter": (3, "m"), "quarters": (3, "m"), "year": (12, "m"), "years": (12, "m"),
    ]

    /// Words that say what something is now, before its new value: "she's now COO", "moved to Uralmash",
    /// "it's O'Connell", "should be Anna-Lena", "he's COO now", "she's the new head of procurement".
    private static let newValueCues: [[String]] = [
        ["is", "now"], ["now"], ["moved", "to"], ["it's"], ["its"], ["it", "is"], ["should", "be"], ["instead", "of", "it"],
        ["promoted", "to"], ["became"], ["switched", "to"], ["changed", "to"], ["the", "new"], ["he's"], ["she's"],
        ["they're"], ["is"],
    ]
    /// Words that end a value said elsewhere: what follows explains it.
    private static let explanations: Set<String> = ["with", "since", "because", "as", "so", "and", "but", "please"]

    /// A text field's new value said apart from its name: the words after a cue such as "now" up to the
    /// next punctuation or explanation, outside what other changes took.
    private func valueSaidElsewhere(
        for field: ChangesSpec.Field, in tokens: [WordToken], text: String, avoiding spans: [Range<String.Index>]
    ) -> (Range<String.Index>, JSONValue)? {
        switch field.type {
        case .string, .personName, .company, .jobTitle: break
        default: return nil
        }
        let lowered = tokens.map(\.lower)
        for start in tokens.indices {
            guard
                let cue = Self.newValueCues.first(where: { cue in
                    start + cue.count < tokens.count && Array(lowered[start..<start + cue.count]) == cue
                })
            else { continue }
            var lower = start + cue.count
            guard !tokens.punctuation(between: lower - 1, and: lower, in: text) else { continue }
            // "she's the new head of procurement": the value starts after the words that only say it is new.
            while lower + 1 < tokens.count, ["the", "a", "an", "new", "now"].contains(lowered[lower]),
                !tokens.punctuation(between: lower, and: lower + 1, in: text)
            {
                lower += 1
            }
            var upper = lower + 1
            // A dash between spaces ends it too: "she's now COO - can you update her title"; so does "now" after it.
            while upper < tokens.count, !tokens.punctuation(between: upper - 1, and: upper, in: text),
                !["-", "–", "—"].contains(lowered[upper]),
                !Self.explanations.contains(lowered[upper]), !Self.stops.contains(lowered[upper]), lowered[upper] != "now"
            {
                upper += 1
            }
            let range = tokens.sourceRange(of: lower..<upper)
            // A value people write as a name, or a job title by its words ("promoted to head of procurement"): not
            // "now working on it".
            let titled = field.type == .jobTitle && (lower..<upper).contains { JobTitles.heads.contains(lowered[$0]) }
            guard !spans.contains(where: { $0.overlaps(range) }), References.isCapitalized(tokens[lower]) || titled,
                case .success(let value) = value(of: field, from: String(text[range]))
            else { continue }
            return (range, value)
        }
        return nil
    }

    /// Whether a value right after the record's kind names the record rather than a new value: "for the lead
    /// k.ito@hokuto-ems.jp change status to working", unless the field is named too ("change the email on the Jane
    /// Doe lead jane.doe@acme.com").
    private func namesTheRecord(_ match: EntityRecognizer.Match, of field: ChangesSpec.Field, in text: String) -> Bool {
        let words = Set(WordToken.tokens(in: text).map(\.lower))
        guard !field.words.contains(where: { words.contains($0.lowercased()) }) else { return false }
        var before = text[..<match.range.lowerBound]
        while before.last?.isWhitespace == true { before = before.dropLast() }
        guard before.last?.isLetter == true, let word = before.split(whereSeparator: { !$0.isLetter }).last else { return false }
        return References.objectWords.contains(word.lowercased())
    }

    /// Values that only one field not named yet can hold: "mark her as working" sets the status,
    /// "bump it to 80k" the amount.
    private func valuesOnly(in text: String, into values: inout [String: JSONValue], spans: inout [Range<String.Index>]) {
        var found: [(field: ChangesSpec.Field, match: EntityRecognizer.Match)] = []
        for field in spec.fields where values[field.name] == nil {
            switch field.type {
            case .list, .amount, .date, .percentage, .email, .phone, .url:
                let matches = EntityRecognizer(type: field.type, calendar: calendar).find(in: text).filter { match in
                    !spans.contains { $0.overlaps(match.range) } && !namesTheRecord(match, of: field, in: text)
                }
                // One value, though it may be said twice: "David Cohen converted, close his lead as converted".
                if let match = matches.first, matches.allSatisfy({ $0.value == match.value }) { found.append((field, match)) }
            default:
                continue
            }
        }
        for (field, match) in found {
            // Two fields claiming the same words (a date read as a number too) leave them unclear.
            guard !found.contains(where: { $0.field.name != field.name && $0.match.range.overlaps(match.range) }) else { continue }
            var value = match.value
            if case .amount = field.type, case .number(let amount)? = value["amount"] { value = .number(amount) }
            values[field.name] = value
            spans.append(match.range)
        }
    }
}
