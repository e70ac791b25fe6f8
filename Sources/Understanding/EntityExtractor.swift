public import DialogModel
import Foundation
public import ParleyJSON

/// Fills a task's entities from an utterance: the one that started the task, or a later answer.
///
/// Two sources, in this order:
/// 1. Slots: the utterance is aligned with the intent's training utterances, and `{entity}`
///    placeholders take the words that stand where they stand ("create a lead for {lastName} at
///    {company}"). Extra words before, after and between are allowed.
/// 2. Typed values anywhere: emails, URLs, phones, record ids, dates, amounts, percentages, list
///    values, regex matches and numbers are found wherever they are. When two entities share a
///    type, a value goes to the one whose name is said just before it ("close date Friday"),
///    or to neither.
///
/// Plain strings are only ever filled from slots, and never from the intent's own words.
public struct EntityExtractor: Sendable {
    /// An entity to fill.
    public struct Entity: Sendable {
        public var name: String
        public var type: EntityType
        public var rules: EntityRules
        /// Whether most of its example values are capitalized names ("Big Deal"), so that a
        /// capitalized name in a request may be its value.
        public var capitalizedExamples: Bool

        public init(name: String, type: EntityType, rules: EntityRules = .init(), examples: [String] = []) {
            self.name = name
            self.type = type
            self.rules = rules
            self.capitalizedExamples =
                !examples.isEmpty && examples.filter { $0.first?.isUppercase ?? false }.count * 2 > examples.count
        }
    }

    enum Element: Sendable, Equatable {
        case word(String)
        case slot(String)
    }

    private let templates: [[Element]]
    /// The templates with slots, which values are aligned with.
    private let slotTemplates: [SlotTemplate]
    /// Every literal word of the slot templates, numbered in `SlotTemplate.wordNumbers`.
    private let templateWords: [String]
    /// How many elements the longest slot template has.
    private let longestSlotTemplate: Int
    let entities: [Entity]
    private var calendar: RecognitionCalendar
    /// Stems of every literal word of the training utterances.
    let intentWords: Set<String>
    /// The words around each entity's slots in the training utterances.
    let slotCues: [String: SlotCues]
    /// One-word synonyms' stems with the stem of the word they stand for.
    let synonymStems: [String: String]

    public init(utterances: [String], entities: [Entity], calendar: RecognitionCalendar, synonyms: [String: [String]] = [:]) {
        self.entities = entities
        self.calendar = calendar
        var synonymStems: [String: String] = [:]
        for (word, others) in synonyms.sorted(by: { $0.key < $1.key }) where !word.contains(" ") {
            for other in others where !other.contains(" ") {
                let stem = Stemmer.stem(other.lowercased())
                if synonymStems[stem] == nil { synonymStems[stem] = Stemmer.stem(word.lowercased()) }
            }
        }
        self.synonymStems = synonymStems
        templates = utterances.map(Self.template)
        (slotTemplates, templateWords) = SlotTemplate.numbering(templates)
        longestSlotTemplate = slotTemplates.map(\.elements.count).max() ?? 0
        slotCues = SlotCues.cues(in: templates)
        var words = Set<String>()
        for template in templates {
            for case .word(let word) in template { words.insert(word) }
        }
        intentWords = words
    }

    /// The extractor for a task: its intent's utterances and its entity nodes that allow
    /// extraction (`extractFromUtterance`).
    public init(intent: IntentSpec, entities: [EntitySpec], calendar: RecognitionCalendar, synonyms: [String: [String]] = [:]) {
        self.init(
            utterances: intent.utterances,
            entities: entities.filter(\.extractFromUtterance).map {
                Entity(name: $0.name, type: $0.type, rules: $0.rules, examples: $0.examples)
            },
            calendar: calendar, synonyms: synonyms.merging(intent.synonyms) { $0 + $1 })
    }

    /// The same extractor reading relative dates against another moment; much cheaper than
    /// building it again from the utterances.
    public func reading(against calendar: RecognitionCalendar) -> EntityExtractor {
        var copy = self
        copy.calendar = calendar
        return copy
    }

    /// The values the utterance gives, by entity name.
    public func extract(from request: String) -> [String: JSONValue] {
        let unshouted = Self.unshouted(request)
        let utterance = Self.expandingShorthand(unshouted)
        let tokens = WordToken.tokens(in: utterance)
        guard !tokens.isEmpty else { return [:] }
        let stems = tokens.map { stem($0.lower) }
        var found: [String: EntityRecognizer.Match] = [:]
        var used: [Range<String.Index>] = []

        // 0. Field changes first: they run over several words and tell where other values stop.
        for entity in entities {
            guard case .changes(let spec) = entity.type else { continue }
            let reading = ChangeReading(spec: spec, calendar: calendar).read(utterance)
            guard reading.problem == nil, let match = reading.found else { continue }
            found[entity.name] = match
            used += reading.spans
        }
        var typedMatches: [String: [EntityRecognizer.Match]] = [:]
        for entity in entities where Self.findableTypes.contains(entity.type.typeName) && found[entity.name] == nil {
            var matches = recognizer(for: entity).find(in: utterance, tokens: tokens)
            if case .list = entity.type {
                matches.removeAll {
                    Self.isInsideCapitalizedName($0.range, tokens: tokens, utterance: utterance)
                        || Self.describesAnotherWord($0.range, tokens: tokens)
                }
            }
            typedMatches[entity.name] = matches
        }
        let alignment = bestAlignment(stems: stems)

        // 1. Typed values: where a slot of the training utterances places them, then anywhere,
        //    the most distinctive types first.
        for (name, span) in alignment?.captures.sorted(by: { $0.value.lowerBound < $1.value.lowerBound }) ?? [] {
            guard let entity = entities.first(where: { $0.name == name }), found[name] == nil, !Self.isTextLike(entity.type),
                let match = slotValue(
                    entity, span: span, tokens: tokens, stems: stems, utterance: utterance,
                    otherMatches: typedMatches.filter { $0.key != name }.values.flatMap { $0 }),
                !used.contains(where: { $0.overlaps(match.range) })
            else { continue }
            found[name] = match
            used.append(match.range)
        }
        let ordered = entities.enumerated().sorted { lhs, rhs in
            let left = Self.findableTypes.firstIndex(of: lhs.element.type.typeName) ?? Int.max
            let right = Self.findableTypes.firstIndex(of: rhs.element.type.typeName) ?? Int.max
            return (left, lhs.offset) < (right, rhs.offset)
        }.map(\.element)
        for entity in ordered where found[entity.name] == nil && !Self.isTextLike(entity.type) {
            var free = (typedMatches[entity.name] ?? []).filter { match in !used.contains { $0.overlaps(match.range) } }
            guard !free.isEmpty else { continue }
            // "a new prospect …, status working": a value right after the entity's name is the one meant.
            if free.count > 1, let named = free.firstIndex(where: { isNamed(entity, before: $0.range, in: tokens) }) {
                free.insert(free.remove(at: named), at: 0)
            }
            // Another entity that would take the same words (two dates) makes it a matter of naming them.
            let chosen = free.first { match in
                let rivals = entities.filter { other in
                    other.name != entity.name && found[other.name] == nil && !Self.isTextLike(other.type)
                        && (typedMatches[other.name] ?? []).contains { $0.range.overlaps(match.range) }
                }
                return rivals.isEmpty || isNamed(entity, before: match.range, in: tokens)
            }
            guard let chosen else { continue }
            found[entity.name] = chosen
            used.append(chosen.range)
        }

        // Job titles, read once: no other value starts inside one, and none is a record.
        let titles = recognizer(for: .init(name: "", type: .jobTitle)).find(in: utterance).map(\.range)

        // 2. Text after the words that stand before its slot in training utterances: "called Big Deal".
        // The alignment with a whole training utterance says whose value a place holds, when
        // several entities have the same cue ("a lead for {lastName}", "a new lead for {company}").
        let claimed = (alignment?.captures ?? [:]).filter { capture in
            entities.contains { $0.name == capture.key && Self.isTextLike($0.type) }
        }.map { (name: $0.key, range: tokens.sourceRange(of: $0.value)) }
        // "VP of Sales at Quantum Freight": "of Sales" belongs to the title, so no other value starts inside one.
        for entity in entities where found[entity.name] == nil && Self.isTextLike(entity.type) {
            guard
                let match = valueAfterCue(
                    entity, tokens: tokens, stems: stems, utterance: utterance, used: used,
                    titles: entity.type == .jobTitle ? [] : titles),
                !claimed.contains(where: { claim in
                    claim.name != entity.name && found[claim.name] == nil && claim.range.overlaps(match.range)
                        // A claim that swallowed this value's own cue word ("for Umbrella Corp") placed it badly.
                        && !Self.swallowsCue(claim.range, before: match.range, tokens: tokens)
                })
            else { continue }
            if case .personName(let part) = entity.type, part != .full {
                // The cue of one part of a name finds the whole name: each part takes its own.
                fillNameParts(from: match, in: utterance, into: &found)
            } else {
                found[entity.name] = match
            }
            used.append(match.range)
        }

        // 3. Text where a slot of the training utterances stands, when no cue placed it.
        var slotNames: [(name: String, span: Range<Int>)] = []
        for (name, span) in alignment?.captures.sorted(by: { $0.value.lowerBound < $1.value.lowerBound }) ?? [] {
            guard let entity = entities.first(where: { $0.name == name }), found[name] == nil, Self.isTextLike(entity.type),
                let match = slotValue(
                    entity, span: span, tokens: tokens, stems: stems, utterance: utterance,
                    otherMatches: typedMatches.values.flatMap { $0 } + found.values.map { $0 }),
                !used.contains(where: { $0.overlaps(match.range) })
            else { continue }
            if case .personName = entity.type, let words = tokens.span(of: match.range) {
                guard Self.personName(in: words, tokens: tokens, utterance: utterance) == words else { continue }
                slotNames.append((name, words))
            }
            found[name] = match
            used.append(match.range)
        }
        // The parts of a name side by side are one name: "a lead for Greenhollow Orchards" has no first and last name.
        if slotNames.count > 1, let first = slotNames.map(\.span.lowerBound).min(), let last = slotNames.map(\.span.upperBound).max(),
            last - first == slotNames.map(\.span.count).reduce(0, +),
            Self.personName(in: first..<last, tokens: tokens, utterance: utterance) != first..<last
        {
            for slot in slotNames {
                if let range = found[slot.name]?.range { used.removeAll { $0 == range } }
                found[slot.name] = nil
            }
        }

        // 4. Names, companies, titles and references that no slot or cue placed: "a new prospect,
        //    Tom Becker, works at Initech".
        fillFromText(utterance, into: &found, used: &used)
        preferNamedReferences(in: utterance, found: &found)
        preferOwnRecords(in: utterance, found: &found)
        preferWrittenNames(in: utterance, found: &found)
        tidyText(in: utterance, tokens: tokens, titles: titles, found: &found)
        fillTopic(in: utterance, tokens: tokens, found: &found)
        fillCompanyFromRow(in: utterance, tokens: tokens, found: &found)
        dropSpansOfTime(found: &found)
        pointBack(tokens: tokens, found: &found)
        guard unshouted != request else { return found.mapValues(\.value) }
        // Read in lowercase, a shouted value taken as written keeps its capitals: "ACME", not "acme".
        return found.mapValues { match in
            guard case .string(let text) = match.value, let range = request.range(of: text, options: .caseInsensitive),
                request[range].lowercased() == text
            else { return match.value }
            return .string(String(request[range]))
        }
    }

    /// "push the close date out two weeks": a span of time is how far a value moves, never which record.
    private func dropSpansOfTime(found: inout [String: EntityRecognizer.Match]) {
        for entity in entities {
            guard case .reference = entity.type, let current = found[entity.name] else { continue }
            let words = WordToken.tokens(in: current.text).map(\.lower)
            let units = ChangeReading.unitsOfTime
            guard words.contains(where: units.contains) else { continue }
            let onlyTime = words.allSatisfy { word in
                units.contains(word) || Self.countingWords.contains(word)
                    || NumberReading.number(ArraySlice([word])) != nil
            }
            if onlyTime { found[entity.name] = nil }
        }
    }

    /// Words that count units of time with a number or without one: "a couple of weeks", "another few days".
    private static let countingWords: Set<String> = ["a", "an", "another", "couple", "few", "of", "more", "extra", "out", "back", "by"]

    /// "he's the Head of Exports, fix his title": a request that gives values and names no record but says "his" or
    /// "her" is about the record just talked about.
    private func pointBack(tokens: [WordToken], found: inout [String: EntityRecognizer.Match]) {
        guard !found.isEmpty, let pointer = tokens.first(where: { References.pointersToSomeone.contains($0.lower) }) else {
            return
        }
        for entity in entities where found[entity.name] == nil {
            guard case .reference = entity.type else { continue }
            found[entity.name] = EntityRecognizer.Match(value: .string("it"), text: String(pointer.text), range: pointer.range)
        }
    }

    /// "Da Nang Kiln Automation / Da Nang Ceramics Export / $380k / qualification": in a row of a record's values, the
    /// field right after one another value was read from, that nothing was read from, is the company, when it reads as
    /// a name: up to six words, no digits, not only ordinary lowercase words ("no idea on the date yet"). It takes the
    /// place of a company read as one ordinary lowercase word.
    private func fillCompanyFromRow(
        in utterance: String, tokens: [WordToken], found: inout [String: EntityRecognizer.Match]
    ) {
        let companies = entities.filter { $0.type == .company }
        guard companies.count == 1, let entity = companies.first else { return }
        if let current = found[entity.name],
            !WordToken.tokens(in: current.text).allSatisfy({
                !References.isCapitalized($0) && (CommonWords.contains($0.lower) || StopWords.contains($0.lower))
            })
        {
            return
        }
        let fields = Self.rowFields(of: utterance)
        guard fields.count >= 3 else { return }
        let others = found.filter { $0.key != entity.name }.values.map(\.range)
        for (index, field) in fields.enumerated().dropFirst() {
            guard others.contains(where: { fields[index - 1].contains($0.lowerBound) }),
                !others.contains(where: { $0.overlaps(field) }),
                let first = tokens.firstIndex(where: { field.contains($0.range.lowerBound) }),
                let last = tokens.lastIndex(where: { field.contains($0.range.lowerBound) })
            else { continue }
            var words = first..<(last + 1)
            // "account Okafor Health": the word that says what the value is, is no part of it.
            if words.count > 1, Self.companyLabels.contains(tokens[first].lower) { words = words.dropFirst() }
            let range = tokens.sourceRange(of: words)
            guard (1...6).contains(words.count),
                utterance[range].allSatisfy({ $0.isLetter || $0 == " " || "&'’.-".contains($0) }),
                tokens[words].contains(where: {
                    References.isCapitalized($0) || !CommonWords.contains($0.lower) && !StopWords.contains($0.lower)
                }),
                case .value(let value, _) = recognizer(for: entity).recognize(String(utterance[range]))
            else { continue }
            found[entity.name] = EntityRecognizer.Match(value: value, text: String(utterance[range]), range: range)
            return
        }
    }

    /// Words that say a row's field is a company: "account Okafor Health".
    private static let companyLabels: Set<String> = [
        "account", "acct", "company", "co", "customer", "client", "org", "organisation", "organization", "employer",
    ]

    /// The fields of a row of values, apart by the mark that parts it most often, twice at least: " / ", " | ", a dash
    /// between spaces, a tab or a comma. Each field without the spaces around it; none when the text is no row.
    static func rowFields(of utterance: String) -> [Range<String.Index>] {
        let marks = [" / ", " | ", " — ", " – ", " - ", "\t", ", "]
        let counts = marks.map { utterance.components(separatedBy: $0).count - 1 }
        guard let best = counts.indices.max(by: { counts[$0] < counts[$1] }), counts[best] >= 2 else { return [] }
        var fields: [Range<String.Index>] = []
        var start = utterance.startIndex
        while let mark = utterance.range(of: marks[best], range: start..<utterance.endIndex) {
            fields.append(start..<mark.lowerBound)
            start = mark.upperBound
        }
        fields.append(start..<utterance.endIndex)
        return fields.map { field in
            var lower = field.lowerBound
            var upper = field.upperBound
            while lower < upper, utterance[lower].isWhitespace { lower = utterance.index(after: lower) }
            while lower < upper,
                utterance[utterance.index(before: upper)].isWhitespace || ".!".contains(utterance[utterance.index(before: upper)])
            {
                upper = utterance.index(before: upper)
            }
            return lower..<upper
        }
    }

    /// Words a free-text value never is on its own: "any opps called something like that", "anything with portal".
    private static let placeholders: Set<String> = [
        "something", "anything", "everything", "based", "that", "this", "there", "stuff", "it", "them", "one", "ones",
    ]

    /// A free-text value said as the topic of the request, before a dash ("gaborone — any leads there?", "turbine —
    /// look that up in opportunities"), or as what things are related to ("whisky-related", "poultry-related deals"),
    /// where nothing else was found for it or only a word that stands in for it ("something").
    private func fillTopic(in utterance: String, tokens: [WordToken], found: inout [String: EntityRecognizer.Match]) {
        let free = entities.filter { $0.type == .string }
        guard free.count == 1, let entity = free.first else { return }
        if let current = found[entity.name],
            !WordToken.tokens(in: current.text).allSatisfy({ Self.placeholders.contains($0.lower) || StopWords.contains($0.lower) })
        {
            return
        }
        let others = found.filter { $0.key != entity.name }.values.map(\.range)
        if let related = tokens.first(where: { $0.lower.hasSuffix("-related") && $0.lower.count > "-related".count + 1 }) {
            let word = related.text.dropLast("-related".count)
            let range = related.range.lowerBound..<word.endIndex
            found[entity.name] = EntityRecognizer.Match(value: .string(String(word)), text: String(word), range: range)
            return
        }
        // The topic: up to four words opening the request, then a dash between spaces.
        let dashes: Set<Character> = ["—", "–", "-"]
        guard
            let dash = tokens.indices.first(where: { index in
                index > 0 && index <= 4
                    && (tokens[index].text.allSatisfy { dashes.contains($0) }
                        || utterance[tokens[index - 1].range.upperBound..<tokens[index].range.lowerBound].contains { dashes.contains($0) })
            }),
            tokens[0..<dash].allSatisfy({ !StopWords.contains($0.lower) && !intentWords.contains(Stemmer.stem($0.lower)) })
        else { return }
        let range = tokens.sourceRange(of: 0..<dash)
        guard !others.contains(where: { $0.overlaps(range) }) else { return }
        let text = String(utterance[range])
        found[entity.name] = EntityRecognizer.Match(value: .string(text), text: text, range: range)
    }

    /// The tokens without the words around them that label the kind of value they hold, when what is left is written
    /// like an email, a web domain or a phone number.
    static func withoutValueLabels(_ kept: Range<Int>, of tokens: [WordToken]) -> Range<Int> {
        var value = kept
        while !value.isEmpty, valueLabels.contains(tokens[value.lowerBound].lower) { value = value.dropFirst() }
        while !value.isEmpty, valueLabels.contains(tokens[value.upperBound - 1].lower) { value = value.dropLast() }
        guard value != kept, !value.isEmpty else { return kept }
        let typed = tokens[value].allSatisfy { token in
            token.lower.contains("@") || token.lower.contains(where: \.isNumber)
                || token.lower.split(separator: ".").count >= 2 && token.lower.allSatisfy { $0.isLetter || $0 == "." || $0 == "-" }
        }
        return typed ? value : kept
    }

    /// A search term without the words around it that say "whatever is about this": "anything olive oil" → "olive
    /// oil", "knitwear companies" → "knitwear", "gdansk left" → "gdansk"; "Acme Company" stays. At least one word is left.
    static func withoutSearchFiller(_ kept: Range<Int>, of tokens: [WordToken]) -> Range<Int> {
        var value = kept
        while value.count > 1, searchOpeners.contains(tokens[value.lowerBound].lower) { value = value.dropFirst() }
        // Written capitalized, such a word is the name's: "Acme Company".
        while value.count > 1, searchClosers.contains(tokens[value.upperBound - 1].lower),
            !References.isCapitalized(tokens[value.upperBound - 1])
        {
            value = value.dropLast()
        }
        return value
    }

    private static let searchOpeners: Set<String> = [
        "anything", "any", "anyone", "anybody", "something", "someone", "somebody", "all", "everything", "everyone",
    ]
    private static let searchClosers: Set<String> = [
        "companies", "company", "firms", "firm", "businesses", "business", "people", "folks", "ones", "stuff", "related",
        "types", "type", "kind", "left", "remaining", "anymore", "still", "around", "there", "here", "yet",
    ]

    /// Verbs that say what someone does, which no job title starts with: "runs procurement", "handles IT".
    private static let whatSomeoneDoes: Set<String> = [
        "runs", "manages", "handles", "oversees", "heads", "leads", "looks", "takes", "does", "works", "covers", "owns",
        "deals", "sits", "reports", "buys", "signs", "approves",
    ]

    /// The particles of verbs said around a record's name: "knock her down", "pull it up", "move it back".
    private static let particles: Set<String> = ["down", "up", "back", "over", "out", "off", "again"]

    /// Words that say what kind of value follows or went before: "the number …", "… addresses".
    private static let valueLabels: Set<String> = [
        "number", "phone", "mobile", "cell", "email", "e-mail", "emails", "address", "addresses", "domain", "website",
        "site", "url", "web", "the", "an", "a",
    ]

    /// The last look at text values, whichever step found them: a record id names its record alone ("opp
    /// 006Hs00001ZxYwLIAV details"), and a value neither ends with joining words ("papadopoulos in the") nor is only
    /// such words and punctuation ("- set").
    private func tidyText(
        in utterance: String, tokens all: [WordToken], titles: [Range<String.Index>], found: inout [String: EntityRecognizer.Match]
    ) {
        for entity in entities where Self.isTextLike(entity.type) {
            // "it", "him": the record just talked about.
            guard let match = found[entity.name], case .string(let text) = match.value,
                !References.backReferences.contains(text.lowercased())
            else { continue }
            let tokens = all.filter {
                $0.range.lowerBound >= match.range.lowerBound && $0.range.upperBound <= match.range.upperBound
            }
            // "she runs procurement at Fjord Salmon": what someone does is no title.
            if entity.type == .jobTitle, let first = tokens.first, !References.isCapitalized(first),
                Self.whatSomeoneDoes.contains(first.lower)
            {
                found[entity.name] = nil
                continue
            }
            if case .reference = entity.type, let id = recognizer(for: entity).salesforceIDs(among: tokens, keyPrefix: nil).first {
                found[entity.name] = id
                continue
            }
            // "the lead I just made", "the last one": the record just talked about, as "it" is.
            if case .reference = entity.type, !tokens.isEmpty,
                tokens.allSatisfy({ References.justMade.contains($0.lower) }),
                tokens.contains(where: { References.justMadeVerbs.contains($0.lower) })
            {
                found[entity.name] = EntityRecognizer.Match(value: .string("it"), text: match.text, range: match.range)
                continue
            }
            // "he's the Head of Purchasing now, fix his title": a job title is what someone is, not which record; "his"
            // is the record just talked about.
            if case .reference = entity.type, titles.contains(match.range) {
                let pointsBack = all.contains { References.pointersToSomeone.contains($0.lower) }
                found[entity.name] =
                    pointsBack ? EntityRecognizer.Match(value: .string("it"), text: match.text, range: match.range) : nil
                continue
            }
            if case .reference = entity.type, let extended = Self.withCapitalizedObjectWord(match, tokens: all, in: utterance) {
                found[entity.name] = extended
                continue
            }
            let others = found.filter { $0.key != entity.name }.values.map(\.range)
            if case .reference = entity.type,
                let whole = Self.wholeCapitalizedName(match, tokens: all, in: utterance, others: others)
                    ?? Self.withLowercaseRest(match, tokens: all, in: utterance, others: others)
            {
                found[entity.name] = whole
                continue
            }
            var kept = tokens.indices
            // Marks before the value are no part of it: "deal search → radar".
            while !kept.isEmpty, !tokens[kept.lowerBound].lower.contains(where: { $0.isLetter || $0.isNumber }) {
                kept = kept.dropFirst()
            }
            // A word that says what kind of value a search term is, around one written like its kind: "number +92 21
            // 3555 0187", "domain acme.co.za", "samarkandsilk.uz addresses". Not "Acme Domain Services".
            if entity.type == .string {
                kept = Self.withoutSearchFiller(Self.withoutValueLabels(kept, of: tokens), of: tokens)
                // "do we already have someone from Souss Argan as a lead? don't want to create a dupe": a search term
                // of ordinary lowercase words only gives way to the name the request writes capitalized, that nothing else took.
                if tokens[kept].allSatisfy({
                    ($0.text == "I" || !References.isCapitalized($0))
                        && (CommonWords.contains($0.lower) || StopWords.contains($0.lower))
                }),
                    let name = References.capitalizedPhrases(in: all, utterance: utterance).first(where: { phrase in
                        let range = all.sourceRange(of: phrase)
                        return phrase.lowerBound > 0 && !all[phrase].contains { References.objectWords.contains($0.lower) }
                            && !found.contains { $0.key != entity.name && $0.value.range.overlaps(range) }
                    })
                {
                    found[entity.name] = all.match(of: name, in: utterance)
                    continue
                }
            }
            // Written capitalized, a joining word is a name's: "Director of IT".
            func joining(_ index: Int) -> Bool {
                let word = tokens[index].lower
                return !References.isCapitalized(tokens[index])
                    && (StopWords.contains(word) || References.namesNobody.contains(word)
                        || !word.contains(where: { $0.isLetter || $0.isNumber }))
            }
            while !kept.isEmpty, joining(kept.upperBound - 1) { kept = kept.dropLast() }
            if case .reference = entity.type {
                // "knock wanjiru kamau down to warm": the verb's particle is no part of the name.
                while kept.count > 1, Self.particles.contains(tokens[kept.upperBound - 1].lower) { kept = kept.dropLast() }
                // "has anyone touched the Eero Virtanen lead": ordinary lowercase words before a capitalized name are
                // what is said of it.
                if kept.contains(where: { References.isCapitalized(tokens[$0]) }) {
                    while kept.count > 1, !References.isCapitalized(tokens[kept.lowerBound]),
                        CommonWords.contains(tokens[kept.lowerBound].lower) || StopWords.contains(tokens[kept.lowerBound].lower)
                    {
                        kept = kept.dropFirst()
                    }
                }
            }
            guard kept.contains(where: { !joining($0) }) else {
                found[entity.name] = nil
                continue
            }
            guard kept.count < tokens.count, !kept.isEmpty else { continue }
            let range = tokens[kept.lowerBound].range.lowerBound..<tokens[kept.upperBound - 1].range.upperBound
            guard case .value(let value, _) = recognizer(for: entity).recognize(String(utterance[range])) else { continue }
            found[entity.name] = EntityRecognizer.Match(value: value, text: String(utterance[range]), range: range)
        }
    }

    /// Words for a deal that end its name when written capitalized after a capitalized name: "Brightline Platform Deal".
    private static let dealWords: Set<String> = ["deal", "opp", "oppty"]

    /// A reference of two capitalized words or more, as written, that a template's "deal" ended ("kill the {opportunity}
    /// deal" over "kill the Brightline Platform Deal"), with the capitalized "Deal" right after it that is its name's
    /// last word; `nil` otherwise ("the Acme deal", "the Acme Deal").
    private static func withCapitalizedObjectWord(
        _ match: EntityRecognizer.Match, tokens: [WordToken], in utterance: String
    ) -> EntityRecognizer.Match? {
        guard let last = tokens.lastIndex(where: { $0.range.upperBound <= match.range.upperBound }), last >= 1,
            last + 1 < tokens.count, tokens[last].range.upperBound == match.range.upperBound,
            References.isCapitalized(tokens[last]), References.isCapitalized(tokens[last - 1]),
            tokens[last - 1].range.lowerBound >= match.range.lowerBound,
            dealWords.contains(tokens[last + 1].lower), References.isCapitalized(tokens[last + 1]),
            !tokens.punctuation(between: last, and: last + 1, in: utterance)
        else { return nil }
        let range = match.range.lowerBound..<tokens[last + 1].range.upperBound
        return EntityRecognizer.Match(value: .string(String(utterance[range])), text: String(utterance[range]), range: range)
    }

    /// A reference cut short inside a capitalized name, taken whole: "Kaminari Line 3 Retrofit slipped again" is
    /// about Kaminari Line 3 Retrofit, not a Kaminari Line; "Cedar Crest Radiology Archive moved to …" likewise. The
    /// rest of the name must be written right after the reference, capitalized or in digits, and be no other value's.
    private static func wholeCapitalizedName(
        _ match: EntityRecognizer.Match, tokens: [WordToken], in utterance: String, others: [Range<String.Index>]
    ) -> EntityRecognizer.Match? {
        guard let first = tokens.firstIndex(where: { $0.range.lowerBound == match.range.lowerBound }),
            let last = tokens.lastIndex(where: { $0.range.upperBound == match.range.upperBound }),
            let phrase = References.capitalizedPhrase(tokens, from: first, in: utterance), phrase.upperBound > last + 1
        else { return nil }
        let range = match.range.lowerBound..<tokens[phrase.upperBound - 1].range.upperBound
        guard !others.contains(where: { $0.overlaps(range) }) else { return nil }
        let text = References.withoutPossessive(String(utterance[range]))
        return EntityRecognizer.Match(value: .string(text), text: text, range: range)
    }

    /// A reference cut short where a capitalized name goes on in lowercase: "the Atacama truck telematics deal",
    /// "Nuwara Eliya withering room opp — erase it", "display the opportunity Nuwara Eliya withering room, I need …".
    /// The lowercase words (one to three, none a joining or filler word) run up to the record's object word, or,
    /// after one ("the opportunity …"), up to a comma, a full stop or the end; they are no other value's.
    private static func withLowercaseRest(
        _ match: EntityRecognizer.Match, tokens: [WordToken], in utterance: String, others: [Range<String.Index>]
    ) -> EntityRecognizer.Match? {
        guard let first = tokens.firstIndex(where: { $0.range.lowerBound == match.range.lowerBound }),
            let last = tokens.lastIndex(where: { $0.range.upperBound == match.range.upperBound }),
            References.isCapitalized(tokens[last])
        else { return nil }
        func continues(_ index: Int) -> Bool {
            let token = tokens[index]
            return !References.isCapitalized(token) && token.text.allSatisfy(\.isLetter)
                && !StopWords.contains(token.lower) && !References.namesNobody.contains(token.lower)
                && !References.trailingFiller.contains(token.lower) && !particles.contains(token.lower)
                && !lowercaseRestEnders.contains(token.lower) && !References.objectWords.contains(token.lower)
                && !tokens.punctuation(between: index - 1, and: index, in: utterance)
        }
        var end = last + 1
        while end < tokens.count, end - last <= 3, continues(end) { end += 1 }
        guard end > last + 1 else { return nil }
        let beforeObject =
            end < tokens.count && References.objectWords.contains(tokens[end].lower)
            && !tokens.punctuation(between: end - 1, and: end, in: utterance)
        let afterObject =
            first > 0 && References.objectWords.contains(tokens[first - 1].lower)
            && (end == tokens.count
                || utterance[tokens[end - 1].range.upperBound..<tokens[end].range.lowerBound]
                    .contains(where: { ",.;:!?".contains($0) }))
        guard beforeObject || afterObject else { return nil }
        guard !others.contains(where: { $0.overlaps(tokens.sourceRange(of: first..<end)) }) else { return nil }
        return tokens.match(of: first..<end, in: utterance)
    }

    /// Lowercase words that end a name rather than go on with it: "the Acme lead today", "Jane Doe now, please".
    private static let lowercaseRestEnders = trailingCourtesies.union([
        "today", "tomorrow", "yesterday", "quickly", "first", "too", "also", "still", "instead", "anyway", "right", "real",
        "quick",
    ])

    /// A person's name read from lowercase words where a slot stands ("…, she's their head of logistics" aligned
    /// with "{firstName} {lastName}") gives way to a name written as names are, capitalized, that nothing else took:
    /// "just met Nadia Petrov from Volga Shipping".
    private func preferWrittenNames(in utterance: String, found: inout [String: EntityRecognizer.Match]) {
        let people = entities.filter { entity in
            if case .personName = entity.type { return found[entity.name] != nil }
            return false
        }
        guard !people.isEmpty,
            people.allSatisfy({ found[$0.name].map { !$0.text.contains(where: \.isUppercase) } ?? true })
        else { return }
        let read = people.compactMap { found[$0.name]?.range }
        let others = found.filter { entry in !people.contains { $0.name == entry.key } }.values.map(\.range)
        let written = recognizer(for: .init(name: "", type: .personName(.full))).find(in: utterance).first { name in
            name.text.first?.isUppercase == true && name.text.contains(" ")
                && !read.contains { $0.overlaps(name.range) } && !others.contains { $0.overlaps(name.range) }
        }
        guard let written else { return }
        for entity in people { found[entity.name] = nil }
        fillNameParts(from: written, in: utterance, into: &found)
    }

    /// A reference read from where a slot stands may be plain words ("fix the last name on Siobhan O'Connel"
    /// aligns "last name" with the record): when the request also names something the way records are named, a
    /// capitalized name, an email or a record id that no other entity took, that is the record.
    private func preferNamedReferences(in utterance: String, found: inout [String: EntityRecognizer.Match]) {
        for entity in entities {
            guard case .reference = entity.type, let current = found[entity.name],
                !current.text.contains(where: { $0.isUppercase || $0.isNumber || $0 == "@" })
            else { continue }
            // "amara okafor isn't interested anymore, mark her not converted": "her" is the person named.
            let pointsBack = References.backReferences.contains(current.text.lowercased())
            let others = found.filter { $0.key != entity.name }.values.map(\.range)
            // A person named in lowercase counts too when the value only points back ("amara okafor … mark her not
            // converted"), or when the request says it is that person's record ("open up ingrid solberg's lead, read
            // only").
            let people = IntentText.people(in: utterance).filter { person in
                pointsBack || Self.isOwner(person, of: utterance)
            }
            let named = (recognizer(for: entity).findReferences(in: utterance) + people).first { match in
                !match.range.overlaps(current.range) && !others.contains { $0.overlaps(match.range) }
                    && !References.backReferences.contains(match.text.lowercased())
                    && (people.contains { $0.range == match.range }
                        || match.text.contains { $0.isUppercase || $0.isNumber || $0 == "@" })
            }
            if let named {
                found[entity.name] = named
            } else if let opening = Self.openingUncommonName(in: utterance),
                !others.contains(where: { $0.overlaps(opening.range) }), !opening.range.overlaps(current.range),
                // "hiroshi tanaka's lead is a dupe, axe it": whose lead the request says outright.
                pointsBack || ["'s", "’s"].contains(where: { utterance[opening.range.upperBound...].hasPrefix($0) })
            {
                found[entity.name] = opening
            }
        }
    }

    /// Whether the request says the record is this person's: "ingrid solberg's lead", "the ingrid solberg lead".
    private static func isOwner(_ person: EntityRecognizer.Match, of utterance: String) -> Bool {
        let after = utterance[person.range.upperBound...]
        if ["'s", "’s"].contains(where: { after.hasPrefix($0) || person.text.hasSuffix($0) }) { return true }
        let next = after.split(separator: " ", maxSplits: 1).first.map { $0.lowercased().filter(\.isLetter) } ?? ""
        return References.objectWords.contains(next)
    }

    /// Two words that open the request, in lowercase, that are no English words, before what is said of them: the
    /// person the request is about, though no list of first names knows them ("thandiwe nkosi isn't interested
    /// anymore, update her lead").
    static func openingUncommonName(in utterance: String) -> EntityRecognizer.Match? {
        let tokens = WordToken.tokens(in: utterance)
        guard tokens.count >= 3 else { return nil }
        let pair = tokens[0..<2]
        guard
            pair.allSatisfy({ token in
                token.lower.count >= 2 && token.lower.allSatisfy { $0.isLetter || $0 == "-" || $0 == "'" }
                    && !CommonWords.contains(token.lower) && !StopWords.contains(token.lower)
            })
        else { return nil }
        // Said of the pair, not part of it: the next word is an ordinary one ("isn't", "got", "wants"), or the pair
        // owns what follows ("tanaka's lead").
        let possessive = ["'s", "’s"].first { tokens[1].lower.hasSuffix($0) }
        guard possessive != nil || CommonWords.contains(tokens[2].lower) || StopWords.contains(tokens[2].lower) else {
            return nil
        }
        let end = utterance.index(tokens[1].range.upperBound, offsetBy: -(possessive?.count ?? 0))
        let range = tokens[0].range.lowerBound..<end
        let text = String(utterance[range])
        return EntityRecognizer.Match(value: .string(text), text: text, range: range)
    }

    /// A reference that the request calls another kind of record ("she's a contact on the Romero Vinos account") gives
    /// way to one it calls the entity's own kind ("Lucía Romero's lead"), or for a lead, to a person named.
    private func preferOwnRecords(in utterance: String, found: inout [String: EntityRecognizer.Match]) {
        let tokens = WordToken.tokens(in: utterance)
        func object(after range: Range<String.Index>) -> String? {
            guard let next = tokens.firstIndex(where: { $0.range.lowerBound >= range.upperBound }) else { return nil }
            return References.objectKinds[tokens[next].lower]
        }
        for entity in entities {
            guard case .reference = entity.type, let current = found[entity.name],
                let own = References.objectKinds[entity.name.lowercased()], let said = object(after: current.range), said != own
            else { continue }
            let others = found.filter { $0.key != entity.name }.values.map(\.range)
            let candidates = recognizer(for: entity).findReferences(in: utterance).filter { match in
                !match.range.overlaps(current.range) && !others.contains { $0.overlaps(match.range) }
                    && !References.backReferences.contains(match.text.lowercased())
            }
            let people = own == "lead" ? Set(IntentText.people(in: utterance).map(\.range)) : []
            if let better = candidates.first(where: { object(after: $0.range) == own })
                ?? candidates.first(where: { people.contains($0.range) && object(after: $0.range) == nil })
            {
                found[entity.name] = better
            }
        }
    }

    /// Whether a claimed range starts before the value, taking in the word that introduced it.
    static func swallowsCue(_ claim: Range<String.Index>, before value: Range<String.Index>, tokens: [WordToken]) -> Bool {
        guard let first = tokens.firstIndex(where: { $0.range.lowerBound >= value.lowerBound }), first > 0 else { return false }
        return claim.contains(tokens[first - 1].range.lowerBound)
    }

    /// Whether the words are capitalized and part of a longer capitalized name: "Win" of "Quick Win"
    /// is no stage. The first word of the utterance is capitalized as a sentence, so it does not count.
    /// Words that label a value after them: "contact name is …", "contact email …".
    private static let labelWords: Set<String> = ["name", "email", "e-mail", "number", "details", "info", "person", "phone"]

    /// Words for a record that "new" before them describes: "a new lead", "a new prospect".
    private static let recordWords = References.objectWords.union(["prospect", "contact"])

    /// Whether a list value's one word only describes the word after it: "new" in "a new lead" is the record's, not a
    /// status ("new lead Jane Doe, contacted her twice" is contacted); "contact" in "contact name is Martha" labels a
    /// name.
    static func describesAnotherWord(_ range: Range<String.Index>, tokens: [WordToken]) -> Bool {
        guard let span = tokens.span(of: range), span.count == 1, span.upperBound < tokens.count else { return false }
        let word = tokens[span.lowerBound].lower
        let next = tokens[span.upperBound].lower
        return word == "new" && recordWords.contains(next)
            || word.hasPrefix("contact") && labelWords.contains(next)
    }

    static func isInsideCapitalizedName(_ range: Range<String.Index>, tokens: [WordToken], utterance: String) -> Bool {
        func isCapitalized(_ index: Int) -> Bool { tokens[index].text.first?.isUppercase == true }
        func joined(_ left: Int, _ right: Int) -> Bool {
            utterance[tokens[left].range.upperBound..<tokens[right].range.lowerBound].allSatisfy(\.isWhitespace)
        }
        let covered = tokens.indices.filter { tokens[$0].range.overlaps(range) }
        guard let first = covered.first, let last = covered.last, covered.allSatisfy(isCapitalized) else { return false }
        let before = first - 1
        let after = last + 1
        if before > 0, isCapitalized(before), joined(before, first) { return true }
        return after < tokens.count && isCapitalized(after) && joined(last, after)
    }

    /// A word's stem, with one-word synonyms read as the word they stand for ("oppty" → opportunity).
    func stem(_ word: String) -> String {
        let stem = Stemmer.stem(word)
        return synonymStems[stem] ?? stem
    }

    /// Fills text-like entities from names, companies and job titles found anywhere in the text.
    private func fillFromText(
        _ utterance: String, into found: inout [String: EntityRecognizer.Match], used: inout [Range<String.Index>]
    ) {
        func free(_ matches: [EntityRecognizer.Match]) -> [EntityRecognizer.Match] {
            matches.filter { match in !used.contains { $0.overlaps(match.range) } }
        }
        // Job titles first, so "Chief Medical Officer, Praha Health Systems" keeps the title out of the
        // company; then companies before names, so "at Blue Harbor" is not read as a person.
        for entity in entities where found[entity.name] == nil {
            guard case .jobTitle = entity.type, let match = free(recognizer(for: entity).find(in: utterance)).first else { continue }
            found[entity.name] = match
            used.append(match.range)
        }
        for entity in entities where found[entity.name] == nil {
            guard case .company = entity.type, let match = free(recognizer(for: entity).find(in: utterance)).first else { continue }
            found[entity.name] = match
            used.append(match.range)
        }
        let tokens = WordToken.tokens(in: utterance)
        // The parts of one name go to the entities of each part: first and last name alike.
        let people = entities.filter { entity in
            if case .personName = entity.type { return found[entity.name] == nil }
            return false
        }
        if !people.isEmpty, let name = free(recognizer(for: .init(name: "", type: .personName(.full))).find(in: utterance)).first {
            fillNameParts(from: name, in: utterance, into: &found)
            used.append(name.range)
        }
        // A company right after a person: "Tom Becker, Becker & Sons", "Beatriz Costa (Lisboa Digital)",
        // "john smith acme corp".
        // The name's last part: "mei-ling chou, jade harbor tea co" goes on after "chou".
        let person = entities.compactMap { entity -> EntityRecognizer.Match? in
            if case .personName = entity.type { return found[entity.name] }
            return nil
        }.max { $0.range.upperBound < $1.range.upperBound }
        for entity in entities where found[entity.name] == nil {
            guard case .company = entity.type, let person,
                var last = tokens.lastIndex(where: { $0.range.upperBound <= person.range.upperBound })
            else { continue }
            // "Dr. Hana Novak, Chief Medical Officer, Praha Health Systems": past a title after the name.
            if let title = entities.first(where: { $0.type == .jobTitle }).flatMap({ found[$0.name] }),
                let titleEnd = tokens.lastIndex(where: { $0.range.upperBound <= title.range.upperBound }),
                titleEnd > last,
                tokens[(last + 1)...titleEnd].allSatisfy({ $0.isSeparator || title.range.contains($0.range.lowerBound) })
            {
                last = titleEnd
            }
            guard let company = Self.companyAfter(last, in: tokens, utterance: utterance),
                !used.contains(where: { $0.overlaps(tokens.sourceRange(of: company)) })
            else { continue }
            found[entity.name] = tokens.match(of: company, in: utterance)
            used.append(tokens.sourceRange(of: company))
        }
        // A company whose name ends like one, wherever it stands: "a lead for Greenhollow Orchards".
        for entity in entities where found[entity.name] == nil && entity.type == .company {
            guard let company = Companies.namedAnywhere(tokens, in: utterance, used: used).first else { continue }
            found[entity.name] = tokens.match(of: company, in: utterance)
            used.append(tokens.sourceRange(of: company))
        }
        // A text value with capitalized examples ("Big Deal"): the one capitalized name left.
        for entity in entities where found[entity.name] == nil && entity.type == .string && entity.capitalizedExamples {
            guard
                let phrase = References.capitalizedPhrases(in: tokens, utterance: utterance).first(where: { span in
                    span.count >= 2 && !used.contains { $0.overlaps(tokens.sourceRange(of: span)) }
                })
            else { continue }
            found[entity.name] = tokens.match(of: phrase, in: utterance)
            used.append(tokens.sourceRange(of: phrase))
        }
        for entity in entities where found[entity.name] == nil {
            guard case .reference = entity.type, let named = free(recognizer(for: entity).find(in: utterance)).first else {
                continue
            }
            let match = withoutLeadingRequestWords(named, tokens: tokens, utterance: utterance)
            found[entity.name] = match
            used.append(match.range)
        }
        for entity in entities where found[entity.name] == nil {
            guard case .jobTitle = entity.type, let match = free(recognizer(for: entity).find(in: utterance)).first else { continue }
            found[entity.name] = match
            used.append(match.range)
        }
    }

    /// A record named in lowercase without the task's own words that open the request: "bump okapi renewal opp to 80k"
    /// names okapi renewal.
    private func withoutLeadingRequestWords(
        _ match: EntityRecognizer.Match, tokens: [WordToken], utterance: String
    ) -> EntityRecognizer.Match {
        guard var start = tokens.firstIndex(where: { $0.range.lowerBound == match.range.lowerBound }),
            let last = tokens.lastIndex(where: { $0.range.upperBound == match.range.upperBound })
        else { return match }
        while start < last, !References.isCapitalized(tokens[start]), isIntentWord(stem(tokens[start].lower)) { start += 1 }
        guard tokens[start].range.lowerBound != match.range.lowerBound else { return match }
        return tokens.match(of: start..<last + 1, in: utterance)
    }

    /// The company named right after the word at `index` (a person's last name): behind a comma, a
    /// parenthesis, a dash or a bar, capitalized; in any case, words up to one that ends a company's name ("rift valley
    /// dairies"); or, without punctuation, words ending in "corp", "inc"...
    static func companyAfter(_ index: Int, in tokens: [WordToken], utterance: String) -> Range<Int>? {
        // Fields pasted from a list stand behind a bar or a slash: "Lorenzo Gatti | Apuan Marble Quarries".
        var start = index + 1
        while start < tokens.count, tokens[start].isSeparator { start += 1 }
        guard start < tokens.count else { return nil }
        let separated =
            start > index + 1
            || utterance[tokens[index].range.upperBound..<tokens[start].range.lowerBound].contains { ",(-–—".contains($0) }
        if separated, let phrase = References.capitalizedPhrase(tokens, from: start, in: utterance),
            !PersonName.firstNames.contains(tokens[start].lower)
        {
            return phrase
        }
        // "mei-ling chou, jade harbor tea co", "wanjiru kamau rift valley dairies": in lowercase, words that end like a
        // company's name.
        if let lowercase = Companies.namedByEnding(tokens, from: start, in: utterance),
            !References.isCapitalized(tokens[start]) || tokens[lowercase].allSatisfy(References.isCapitalized)
        {
            return lowercase
        }
        // "isabela cardoso from cerrado agro as a new lead": written in lowercase, the words after "from" or "at" up to
        // a clause word or a comma.
        if !separated, ["at", "from", "with"].contains(tokens[start].lower), start + 1 < tokens.count,
            !tokens.punctuation(between: start, and: start + 1, in: utterance)
        {
            var end = start + 1
            while end < tokens.count, end - start <= 4, !tokens.punctuation(between: end - 1, and: end, in: utterance),
                !StopWords.contains(tokens[end].lower), !valueEnders.contains(tokens[end].lower),
                !References.objectWords.contains(tokens[end].lower), !PersonName.notNames.contains(tokens[end].lower)
            {
                end += 1
            }
            if end > start + 1, end - start <= 4 { return (start + 1)..<end }
        }
        var end = start
        while end < tokens.count, end - start < 4, !tokens.punctuation(between: end - 1, and: end, in: utterance),
            !StopWords.contains(tokens[end].lower)
        {
            end += 1
            if Companies.suffixes.contains(tokens[end - 1].lower) { return start..<end }
        }
        return nil
    }

    /// Gives each person-name entity still empty its part of a name found in the text.
    private func fillNameParts(from name: EntityRecognizer.Match, in utterance: String, into found: inout [String: EntityRecognizer.Match])
    {
        for entity in entities where found[entity.name] == nil {
            guard case .personName(let part) = entity.type else { continue }
            let words = PersonName.parts(of: References.withoutPossessive(name.text))
            guard !words.allSatisfy({ PersonName.honorifics.contains($0.lowercased()) }) else { return }
            let value: String
            switch part {
            case .full: value = words.joined(separator: " ")
            case .first where words.count >= 2: value = words.dropLast().joined(separator: " ")
            case .first: continue
            case .last: value = words.last ?? ""
            }
            guard !value.isEmpty else { continue }
            found[entity.name] = EntityRecognizer.Match(value: .string(PersonName.capitalized(value)), text: name.text, range: name.range)
        }
    }

    /// Types whose values are words like any others: only slots, names and cues find them.
    static func isTextLike(_ type: EntityType) -> Bool {
        switch type {
        case .string, .personName, .company, .jobTitle, .reference: true
        default: false
        }
    }

    /// Types whose values can be recognized in free text, most distinctive first.
    private static let findableTypes = [
        "changes", "email", "url", "salesforceId", "phone", "date", "amount", "percentage", "list", "regex", "number",
        "personName", "company", "jobTitle", "reference",
    ]

    // MARK: Slots

    private struct Alignment {
        var score: Double
        /// Literal words of the template found in the utterance, stop words left out.
        var contentWords = 0
        var captures: [String: Range<Int>]
    }

    private func bestAlignment(stems: [String]) -> Alignment? {
        var best: Alignment?
        var positions = WordPositions(stems, words: templateWords)
        var memo = AlignmentMemo(longestTemplate: longestSlotTemplate, utteranceLength: stems.count)
        for slotTemplate in slotTemplates {
            // Enough of the utterance's own words must be there, not just the words around slots.
            let needed = max(1, (slotTemplate.contentWords.count + 1) / 2)
            // A template whose words are not there cannot align well enough, and most are not: no need to try.
            if !slotTemplate.contentWords.isEmpty,
                slotTemplate.contentWords.count(where: { !positions.of($0).isEmpty }) < needed
            {
                continue
            }
            memo.nextTemplate()
            guard let alignment = align(slotTemplate, 0, stems, 0, pending: nil, memo: &memo, positions: &positions) else {
                continue
            }
            guard alignment.contentWords >= needed || slotTemplate.contentWords.isEmpty && alignment.score > 0 else {
                continue
            }
            var scored = alignment
            scored.score += 0.5 * Double(alignment.captures.count)
            if scored.score > (best?.score ?? -1) { best = scored }
        }
        return best
    }

    /// A template with slots, its words numbered.
    private struct SlotTemplate {
        var elements: [Element]
        /// For each element, the number of its word in the extractor's `templateWords`; -1 for a slot.
        var wordNumbers: [Int]
        /// The numbers of its words that are no stop words.
        var contentWords: [Int]

        /// The templates that have slots, and the words they are made of.
        static func numbering(_ templates: [[Element]]) -> ([SlotTemplate], [String]) {
            var words: [String] = []
            var numbers: [String: Int] = [:]
            var slotTemplates: [SlotTemplate] = []
            for elements in templates where elements.contains(where: { if case .slot = $0 { true } else { false } }) {
                var template = SlotTemplate(elements: elements, wordNumbers: [], contentWords: [])
                for element in elements {
                    guard case .word(let word) = element else {
                        template.wordNumbers.append(-1)
                        continue
                    }
                    let number =
                        numbers[word]
                        ?? {
                            words.append(word)
                            numbers[word] = words.count - 1
                            return words.count - 1
                        }()
                    template.wordNumbers.append(number)
                    if !StopWords.contains(word) { template.contentWords.append(number) }
                }
                slotTemplates.append(template)
            }
            return (slotTemplates, words)
        }
    }

    /// Where each word of the templates stands in the utterance, worked out once for all templates: the stems that are
    /// the word, or a typo away from it when it is five letters or more and no stop word.
    private struct WordPositions {
        private let stems: [String]
        private let scalars: [[UInt32]]
        private let words: [String]
        private var known: [[Int]?]

        init(_ stems: [String], words: [String]) {
            self.stems = stems
            self.words = words
            scalars = stems.map { $0.unicodeScalars.map(\.value) }
            known = Array(repeating: nil, count: words.count)
        }

        /// The positions of the stems that are word `number`, or close enough to it, left to right.
        mutating func of(_ number: Int) -> [Int] {
            if let positions = known[number] { return positions }
            let word = words[number]
            var positions: [Int] = []
            // Words long enough and not stop words may hold a typo.
            let forgiving = word.count >= 5 && !StopWords.contains(word)
            let wordScalars = forgiving ? word.unicodeScalars.map(\.value) : []
            for (index, stem) in stems.enumerated() {
                if stem == word || forgiving && EditDistance.distance(scalars[index], wordScalars, limit: 1) != nil {
                    positions.append(index)
                }
            }
            known[number] = positions
            return positions
        }
    }

    /// The alignments of one template with one utterance already worked out, by where each starts in the template
    /// and in the utterance and whether slots are open there. The same rest of a template is laid over the same rest
    /// of an utterance on many paths; working each out once keeps aligning linear in the paths' ends, not their number.
    private struct AlignmentMemo {
        private let width: Int
        /// Which template each entry was worked out for: entries of templates before it are stale, and need no
        /// clearing before the next template.
        private var template: [Int]
        private var alignments: [Alignment?]
        private var current = 0

        init(longestTemplate: Int, utteranceLength: Int) {
            width = utteranceLength + 1
            let count = (longestTemplate + 1) * width * 2
            template = Array(repeating: 0, count: count)
            alignments = Array(repeating: nil, count: count)
        }

        /// Forgets every alignment, for the next template.
        mutating func nextTemplate() { current += 1 }

        private func index(_ ti: Int, _ ui: Int, _ open: Bool) -> Int { ((ti * width) + ui) * 2 + (open ? 1 : 0) }

        func alignment(_ ti: Int, _ ui: Int, open: Bool) -> Alignment?? {
            let index = index(ti, ui, open)
            return template[index] == current ? .some(alignments[index]) : .none
        }

        mutating func remember(_ alignment: Alignment?, _ ti: Int, _ ui: Int, open: Bool) {
            let index = index(ti, ui, open)
            template[index] = current
            alignments[index] = alignment
        }
    }

    /// The best way to lay `template[ti...]` over `stems[ui...]`; `pending` are slots in a row, open since `ui`, whose
    /// end the next literal word decides. Scores count matched content words (stop words count a tenth) minus a little
    /// for each skipped word of the utterance.
    ///
    /// Open slots always start at `ui` (a slot takes no words until its closing word is found) and are the run of
    /// slots just before `ti`, so `ti`, `ui` and whether any is open say all there is to know about the rest.
    private func align(
        _ template: SlotTemplate, _ ti: Int, _ stems: [String], _ ui: Int, pending: [String]?, memo: inout AlignmentMemo,
        positions: inout WordPositions
    ) -> Alignment? {
        if let known = memo.alignment(ti, ui, open: pending != nil) { return known }
        let alignment = alignUnremembered(template, ti, stems, ui, pending: pending, memo: &memo, positions: &positions)
        memo.remember(alignment, ti, ui, open: pending != nil)
        return alignment
    }

    private func alignUnremembered(
        _ slotTemplate: SlotTemplate, _ ti: Int, _ stems: [String], _ ui: Int, pending: [String]?, memo: inout AlignmentMemo,
        positions: inout WordPositions
    ) -> Alignment? {
        let template = slotTemplate.elements
        guard ti < template.count else {
            guard let pending else { return Alignment(score: 0, captures: [:]) }
            let end = trimmedEnd(stems, from: ui, to: stems.count)
            guard end > ui else { return nil }
            return Alignment(score: 0, captures: Self.share(ui..<end, among: pending, words: stems))
        }
        switch template[ti] {
        case .slot(let name):
            // Slots in a row ("{firstName} {lastName}") share the words up to the next literal word; a
            // row with a company or a title in it is no guide to where each starts.
            if let pending {
                let names = pending + [name]
                guard names.allSatisfy(canShareARow) else { return nil }
                return align(slotTemplate, ti + 1, stems, ui, pending: names, memo: &memo, positions: &positions)
            }
            return align(slotTemplate, ti + 1, stems, ui, pending: [name], memo: &memo, positions: &positions)
        case .word(let word):
            var best: Alignment?
            let weight = StopWords.contains(word) ? 0.1 : 1
            // Open slots take at least one word before the word that closes them.
            for j in positions.of(slotTemplate.wordNumbers[ti]) where pending == nil ? j >= ui : j > ui {
                guard var rest = align(slotTemplate, ti + 1, stems, j + 1, pending: nil, memo: &memo, positions: &positions)
                else { continue }
                rest.score += weight - (pending == nil ? 0.05 * Double(j - ui) : 0)
                if weight == 1 { rest.contentWords += 1 }
                if let pending { rest.captures.merge(Self.share(ui..<j, among: pending, words: stems)) { old, _ in old } }
                if rest.score > (best?.score ?? -Double.infinity) { best = rest }
                // With a slot open, the first occurrence of its closing word ends it.
                if pending != nil { break }
            }
            // A word may be left out unless it closes a slot or opens the next one.
            let opensSlot = ti + 1 < template.count && { if case .slot = template[ti + 1] { true } else { false } }()
            if pending == nil, !opensSlot,
                let skipped = align(slotTemplate, ti + 1, stems, ui, pending: nil, memo: &memo, positions: &positions),
                skipped.score > (best?.score ?? -Double.infinity)
            {
                best = skipped
            }
            return best
        }
    }

    /// Whether a slot can stand in a row with others: anything but a company, a title or a reference,
    /// whose words run on with no telling where they stop.
    private func canShareARow(_ name: String) -> Bool {
        guard let entity = entities.first(where: { $0.name == name }) else { return false }
        switch entity.type {
        case .company, .jobTitle, .reference: return false
        default: return true
        }
    }

    /// How slots in a row divide the words between them: the last takes the last word (with a
    /// particle before it, "van Beethoven"), each other one word from the right, and the first the
    /// rest ("Mary Ann Lee" gives {firstName} Mary Ann and {lastName} Lee). With fewer words than
    /// slots the last slots get them, since the earlier ones of such a run are the optional parts
    /// (a first name before a last name).
    private static func share(_ span: Range<Int>, among names: [String], words: [String]) -> [String: Range<Int>] {
        guard names.count > 1 else { return names.first.map { [$0: span] } ?? [:] }
        var captures: [String: Range<Int>] = [:]
        guard span.count >= names.count else {
            for (offset, name) in names.suffix(span.count).enumerated() {
                captures[name] = span.lowerBound + offset..<span.lowerBound + offset + 1
            }
            return captures
        }
        var end = span.upperBound
        var lastStart = end - 1
        while lastStart - 1 > span.lowerBound + names.count - 2, PersonName.particles.contains(words[lastStart - 1]) {
            lastStart -= 1
        }
        captures[names[names.count - 1]] = lastStart..<end
        end = lastStart
        for (offset, name) in names.dropLast().enumerated().reversed() {
            let start = offset == 0 ? span.lowerBound : end - 1
            captures[name] = start..<end
            end = start
        }
        return captures
    }

    /// Drops courtesy words at the end of a slot that runs to the end of the utterance.
    private func trimmedEnd(_ stems: [String], from start: Int, to end: Int) -> Int {
        var end = end
        while end > start, Self.trailingCourtesyStems.contains(stems[end - 1]) { end -= 1 }
        return end
    }

    /// Words that ask for what the verb after them says, never part of a value: "needs deleting", "should go".
    private static let askingWords: Set<String> = ["needs", "need", "should", "must", "wants", "gotta", "has", "have"]

    private static let introducers: Set<String> = [
        "called", "named", "titled", "for", "about", "regarding", "containing", "contains", "with", "like", "related",
        "matching", "mentioning", "mention", "someone", "somebody", "anyone", "any", "something", "search", "find",
    ]

    /// The words between quotes inside a span, when there are some: "'schedule demo with CFO'".
    private static func quotedSpan(in span: Range<Int>, tokens: [WordToken], utterance: String) -> Range<Int>? {
        let quotes: Set<Character> = ["'", "\"", "“", "”", "‘", "’"]
        func opens(_ index: Int) -> Bool {
            let start = tokens[index].range.lowerBound
            return start > utterance.startIndex && quotes.contains(utterance[utterance.index(before: start)])
        }
        func closes(_ index: Int) -> Bool {
            let end = tokens[index].range.upperBound
            return end < utterance.endIndex && quotes.contains(utterance[end])
        }
        guard let open = span.first(where: opens), let close = span[open...].first(where: closes) else { return nil }
        return open..<(close + 1)
    }

    /// Words at the end of a request that only soften or time it: "… from brightline already?".
    static let trailingCourtesies: Set<String> = [
        "please", "thank", "thanks", "now", "asap", "pls", "plz", "already", "yet", "again",
    ]
    private static let trailingCourtesyStems = Set(trailingCourtesies.map(Stemmer.stem))

    /// The value of a slot's words for its entity, or `nil` when they are not one.
    private func slotValue(
        _ entity: Entity, span: Range<Int>, tokens: [WordToken], stems: [String], utterance: String,
        otherMatches: [EntityRecognizer.Match]
    ) -> EntityRecognizer.Match? {
        let recognizer = recognizer(for: entity)
        var span = span
        if Self.isTextLike(entity.type) {
            // A slot stops where another entity's value starts: "at Acme with email jane@acme.com".
            if let cut = span.first(where: { index in otherMatches.contains { $0.range.overlaps(tokens[index].range) } }) {
                span = span.lowerBound..<cut
            }
            // A quoted phrase is the value: "something like 'phase 2' in it".
            if let quoted = Self.quotedSpan(in: span, tokens: tokens, utterance: utterance) { span = quoted }
            // Nor does a value run over a comma, or, for names, over a clause: "Tom Becker, he's a duplicate".
            if let comma = span.dropFirst().first(where: { tokens.punctuation(between: $0 - 1, and: $0, in: utterance) }) {
                span = span.lowerBound..<comma
            }
            let connectors = StopWords.all.union(entities.flatMap { spokenWords(of: $0.name) })
                .union(["email", "phone", "number", "amount", "date", "due", "worth"])
            while !span.isEmpty, connectors.contains(tokens[span.upperBound - 1].lower),
                !References.isCapitalized(tokens[span.upperBound - 1])
            {
                span = span.dropLast()
            }
            // Words that introduce a value but are not part of it, when the training utterance lacks them:
            // "create an opportunity called Big Deal", "search leads for Acme", "find leads containing logistics".
            while span.count > 1,
                Self.introducers.contains(tokens[span.lowerBound].lower) || isIntentWord(stems[span.lowerBound])
                    || StopWords.contains(tokens[span.lowerBound].lower)
            {
                span = span.dropFirst()
            }
            while !span.isEmpty, Self.valueOpeners.contains(tokens[span.lowerBound].lower) { span = span.dropFirst() }
            if entity.type != .string, let ender = span.dropFirst().first(where: { Self.valueEnders.contains(tokens[$0].lower) }) {
                span = span.lowerBound..<ender
            }
            // "the Globex deal" is Globex; "Big Deal" is a name.
            while span.count > 1, References.trailingFiller.contains(tokens[span.upperBound - 1].lower),
                !References.isCapitalized(tokens[span.upperBound - 1])
            {
                span = span.dropLast()
            }
            guard !span.isEmpty else { return nil }
            // Never the intent's own words: "create a lead for a new lead", "one of my leads needs deleting".
            let onlyIntentWords = span.allSatisfy {
                intentWords.contains(stems[$0]) || StopWords.contains(tokens[$0].lower) || Self.askingWords.contains(tokens[$0].lower)
            }
            if onlyIntentWords { return nil }
        }
        guard !span.isEmpty else { return nil }
        // "get rid of her lead, turns out …", "his lead came from …": after a record that is someone's, another clause
        // starts.
        if span.lowerBound >= 2, References.pointersToSomeone.contains(tokens[span.lowerBound - 2].lower),
            References.objectWords.contains(tokens[span.lowerBound - 1].lower)
        {
            return nil
        }
        // "forth freight lead — turns out …": the record is the topic before the dash, not what follows.
        if let before = tokens[..<span.lowerBound].lastIndex(where: { !$0.isSeparator }),
            IntentText.oneRecord.contains(tokens[before].lower),
            References.openingTopic(tokens, in: utterance)?.upperBound == before
        {
            return nil
        }
        let text = String(tokens.text(of: span, in: utterance))
        let range = tokens.sourceRange(of: span)
        if !Self.isTextLike(entity.type) {
            // A typed value found inside the slot's words leaves the rest to other entities.
            let inside = recognizer.find(in: utterance).first {
                $0.range.lowerBound >= range.lowerBound && $0.range.upperBound <= range.upperBound
            }
            if let inside { return inside }
        }
        if case .reference = entity.type {
            // What names the record inside the slot's words: "Aisha Bello" of "Aisha Bello got promoted".
            if let named = recognizer.find(in: utterance).first(where: {
                $0.range.lowerBound >= range.lowerBound && $0.range.upperBound <= range.upperBound
            }) {
                return named
            }
            guard span.count <= 4 else { return nil }
        }
        guard case .value(let value, _) = recognizer.recognize(References.withoutPossessive(text)) else { return nil }
        return EntityRecognizer.Match(value: value, text: text, range: range)
    }

    /// "COLD LEADS. ALL OF THEM.": a request written all in capitals is read as if in lowercase, where capitals
    /// would make every word look like a name. Two words with letters at least; one capitalized word is a name.
    static func unshouted(_ request: String) -> String {
        guard !request.contains(where: \.isLowercase),
            request.split(whereSeparator: \.isWhitespace).filter({ $0.contains(where: \.isLetter) }).count >= 2
        else { return request }
        return request.lowercased()
    }

    /// "w/ Moreau & Fils" is "with Moreau & Fils": the shorthand people type for a word that introduces a value.
    static func expandingShorthand(_ request: String) -> String {
        guard request.contains("w/") || request.contains("W/") else { return request }
        var result = ""
        var rest = Substring(request)
        while let slash = rest.range(of: "w/", options: .caseInsensitive) {
            let startsWord = slash.lowerBound == rest.startIndex || !rest[rest.index(before: slash.lowerBound)].isLetter
            let endsWord = slash.upperBound == rest.endIndex || !rest[slash.upperBound].isLetter && !rest[slash.upperBound].isNumber
            result += rest[..<slash.lowerBound]
            result += startsWord && endsWord ? "with" : String(rest[slash])
            rest = rest[slash.upperBound...]
        }
        return result + rest
    }

    /// Whether a word is one of the intent's own, or a typo of one ("opprtunities"); words shorter than
    /// `minimumLength` are never typos.
    func isIntentWord(_ stem: String, minimumLength: Int = 5) -> Bool {
        if intentWords.contains(stem) { return true }
        let tolerance = EditDistance.tolerance(forLength: stem.count)
        guard stem.count >= minimumLength, tolerance > 0 else { return false }
        return intentWords.contains { word in
            word.first == stem.first && word.count >= minimumLength && !StopWords.contains(word)
                && EditDistance.distance(stem, word, limit: tolerance) != nil
        }
    }

    /// Whether the entity's name is said within three words before the range.
    private func isNamed(_ entity: Entity, before range: Range<String.Index>, in tokens: [WordToken]) -> Bool {
        let name = spokenWords(of: entity.name)
        guard let first = tokens.firstIndex(where: { $0.range.lowerBound >= range.lowerBound }), !name.isEmpty else {
            return false
        }
        let window = tokens[max(0, first - 3 - name.count)..<first].map(\.lower)
        guard window.count >= name.count else { return false }
        return (0...(window.count - name.count)).contains { Array(window[$0..<$0 + name.count]) == name }
    }

    func recognizer(for entity: Entity) -> EntityRecognizer {
        EntityRecognizer(type: entity.type, rules: entity.rules, calendar: calendar)
    }

    /// "create a lead for {lastName}" → [create, a, lead, for, {lastName}] with words stemmed.
    private static func template(_ utterance: String) -> [Element] {
        var elements: [Element] = []
        var rest = Substring(utterance)
        while !rest.isEmpty {
            guard let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") else {
                elements += literalWords(rest)
                break
            }
            let between = rest[..<open]
            // Slots apart by punctuation alone ("{opportunityName}, {accountName}") are a list no
            // alignment can divide: a comma, which no stem equals, stands between them.
            if case .slot = elements.last, !between.isEmpty, between.allSatisfy({ $0.isWhitespace || $0.isPunctuation }),
                !between.allSatisfy(\.isWhitespace)
            {
                elements.append(.word(","))
            }
            elements += literalWords(between)
            let name = rest[rest.index(after: open)..<close].trimmingWhitespace()
            if !name.isEmpty { elements.append(.slot(name)) }
            rest = rest[rest.index(after: close)...]
        }
        return elements
    }

    private static func literalWords(_ text: Substring) -> [Element] {
        WordToken.tokens(in: String(text)).map { .word(Stemmer.stem($0.lower)) }
    }
}
