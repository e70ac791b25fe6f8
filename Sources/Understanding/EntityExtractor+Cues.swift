import DialogModel
import ParleyJSON

/// The words said just before and after an entity's slot in the training utterances: "called"
/// before `{opportunityName}`, "at" before `{companyName}`, "'s lead" after `{lead}`.
struct SlotCues: Sendable {
    /// One and two stems before the slot.
    var before: Set<[String]> = []
    /// The first stem after the slot.
    var after: Set<String> = []

    /// Each text-like entity's cues, from templates of stemmed words and slots.
    static func cues(in templates: [[EntityExtractor.Element]]) -> [String: SlotCues] {
        var cues: [String: SlotCues] = [:]
        for template in templates {
            for (index, element) in template.enumerated() {
                guard case .slot(let name) = element else { continue }
                var words: [String] = []
                var back = index - 1
                while back >= 0, words.count < 2, case .word(let word) = template[back] {
                    words.insert(word, at: 0)
                    back -= 1
                }
                if let last = words.last { cues[name, default: .init()].before.insert([last]) }
                if words.count == 2 { cues[name, default: .init()].before.insert(words) }
                if index + 1 < template.count, case .word(let word) = template[index + 1] {
                    cues[name, default: .init()].after.insert(word)
                }
            }
        }
        return cues
    }
}

extension EntityExtractor {
    /// Words that end a value in free text: clauses, pronouns, and the words of requests.
    static let valueEnders: Set<String> = [
        "is", "was", "are", "were", "be", "been", "who", "which", "that", "because", "since", "before", "after", "and",
        "but", "so", "then", "to", "as", "with", "for", "on", "in", "by", "about", "please", "pls", "it", "he", "she",
        "they", "him", "her", "them", "his", "their", "its", "i", "we", "you", "closing", "close", "worth", "called",
        "named", "wants", "want", "has", "have", "had", "will", "would", "can", "could", "should", "now", "yet", "also",
        "too", "lead", "leads", "deal", "deals", "opportunity", "opportunities", "oppty", "opp", "record", "if", "when",
        "email", "phone", "title", "source", "status", "stage", "amount", "company", "asap", "thanks", "thank", "not",
        "from", "at", "instead", "into", "via", "where", "what", "got", "went", "moved", "said", "says", "asked",
        "needs", "need", "isn't", "aren't", "wasn't", "doesn't", "won't", "can't", "didn't", "just", "still", "i'm",
        "i've", "i'd", "i'll", "we're", "we've", "we'll", "he's", "she's", "they're", "they've", "it's", "you're", "name",
        "yesterday", "today", "tonight", "tomorrow", "ph", "tel", "mob", "mobile", "cell",
    ]

    /// Words a value never starts with.
    static let valueOpeners: Set<String> = ["the", "a", "an", "that", "this", "my", "our", "their", "his", "her", "some"]

    /// Words that lead in to a value without being part of it: "containing logistics", "related to Vandelay".
    static let leadIns: Set<String> = [
        "containing", "contains", "matching", "mentioning", "mention", "like", "related", "called", "named", "titled",
        "regarding", "about", "someone", "somebody", "anyone", "something", "any", "all", "every", "guy", "gal",
        "person", "woman", "man", "lady", "gentleman", "fellow", "word", "words", "term", "terms", "keyword", "phrase",
    ]

    /// A text-like entity's value found after one of its cues ("called Big Deal", "at Blue Harbor
    /// Foods"): the words from the cue up to a comma, a clause word, another value or, for a
    /// capitalized value, the first lowercase word. `titles` are where job titles stand: no value starts inside one.
    func valueAfterCue(
        _ entity: Entity, tokens: [WordToken], stems: [String], utterance: String, used: [Range<String.Index>],
        titles: [Range<String.Index>]
    ) -> EntityRecognizer.Match? {
        guard let cues = slotCues[entity.name] else { return nil }
        var best: (score: Int, span: Range<Int>)?
        // For a company: where "at", "from" or "with" comes before a capitalized name ("VP Ops at Larkspur Logistics").
        let capitalizedCompanyCues =
            entity.type == .company
            ? tokens.indices.filter { index in
                ["at", "from", "with"].contains(tokens[index].lower)
                    && References.capitalizedPhrase(tokens, from: index + 1, in: utterance) != nil
                    && !isUsed(tokens[index + 1], used)
            } : []
        let topic = References.openingTopic(tokens, in: utterance)
        for position in 1..<max(tokens.count, 1) {
            var score = 0
            if position >= 2, cues.before.contains([stems[position - 2], stems[position - 1]]) {
                score = 3
            } else if cues.before.contains([stems[position - 1]]) {
                score = StopWords.contains(stems[position - 1]) ? 1 : 2
            }
            guard score > 0, !tokens.punctuation(between: position - 1, and: position, in: utterance) || score >= 2 else {
                continue
            }
            var start = position
            // Another entity's own cue word, skipped as one of the request's words, says the value after it is that
            // entity's: "add Kwame Mensah as a lead, company Accra Solar" has no first name after "a lead".
            if let next = (position..<min(position + 2, tokens.count)).first(where: { !Self.valueOpeners.contains(tokens[$0].lower) }),
                !StopWords.contains(tokens[next].lower), !cues.before.contains([stems[next]]),
                labelsAnotherValue(tokens[next], stem: stems[next], than: entity)
            {
                continue
            }
            // "deal search → radar": a separator between the cue and the value.
            while start < tokens.count,
                tokens[start].isSeparator || Self.valueOpeners.contains(tokens[start].lower) || Self.leadIns.contains(tokens[start].lower)
                    || intentWords.contains(stems[start]) && !StopWords.contains(tokens[start].lower) && start + 1 < tokens.count
                    // "view leed hannah schmidt", "search opprtunities Hanbit": a typo of the request's own words.
                    || !References.isCapitalized(tokens[start]) && isIntentWord(stems[start], minimumLength: 4)
                        && !StopWords.contains(tokens[start].lower) && start + 1 < tokens.count
            {
                start += 1
            }
            // "get rid of her lead, turns out …", "his lead came from a partner": a record that is someone's is already
            // said, and what follows it is another clause.
            if start >= 2, start < tokens.count, References.pointersToSomeone.contains(tokens[start - 2].lower),
                References.objectWords.contains(tokens[start - 1].lower)
            {
                continue
            }
            // "forth freight lead — turns out he's a dupe": the record is the topic before the dash, not what follows.
            if let topic, start < tokens.count, let before = tokens[..<start].lastIndex(where: { !$0.isSeparator }),
                before == topic.upperBound, IntentText.oneRecord.contains(tokens[before].lower)
            {
                continue
            }
            // A value never starts with a clause word: "a lead for Jane" is not "for Jane".
            guard start < tokens.count, !isUsed(tokens[start], used), !Self.valueEnders.contains(tokens[start].lower),
                !StopWords.contains(tokens[start].lower), !titles.contains(where: { $0.contains(tokens[start].range.lowerBound) })
            else { continue }
            // A weak cue ("for", "at") only counts before a word that looks like a name.
            if score == 1, !References.isCapitalized(tokens[start]), !PersonName.firstNames.contains(tokens[start].lower) {
                continue
            }
            var span = valueSpan(from: start, for: entity, tokens: tokens, utterance: utterance, used: used, after: cues.after)
            guard !span.isEmpty, !span.allSatisfy({ intentWords.contains(stems[$0]) || StopWords.contains(tokens[$0].lower) })
            else { continue }
            if case .personName = entity.type {
                guard let name = Self.personName(in: span, tokens: tokens, utterance: utterance) else { continue }
                span = name
            }
            // A company in lowercase ("a new prospect at the expo") when the request writes a capitalized one after "at"
            // or "from" ("VP Ops at Larkspur Logistics") is no company: a writer who capitalizes names capitalizes it.
            if !References.isCapitalized(tokens[start]), capitalizedCompanyCues.contains(where: { $0 != position - 1 }) {
                continue
            }
            // A title says what the person is ("CTO", "head of logistics"), not what they do ("she runs purchasing").
            if entity.type == .jobTitle,
                !span.contains(where: { JobTitles.heads.contains(tokens[$0].lower) || References.isCapitalized(tokens[$0]) })
            {
                continue
            }
            if score > best?.score ?? 0 { best = (score, span) }
        }
        guard let span = best?.span else { return nil }
        let text = References.withoutPossessive(String(tokens.text(of: span, in: utterance)))
        guard case .value(let value, _) = recognizer(for: entity).recognize(text) else { return nil }
        return EntityRecognizer.Match(value: value, text: text, range: tokens.sourceRange(of: span))
    }

    /// The person's name a cue's value holds: "creat new lead Ingrid Solberg Fjord Aquaculture" names Ingrid Solberg
    /// and then her company. None when the words name a company ("a lead for Greenhollow Orchards") or are ordinary
    /// words in lowercase ("as a lead, cheers", "the trade show booth", "lead, ph 98450 55512").
    static func personName(in span: Range<Int>, tokens: [WordToken], utterance: String) -> Range<Int>? {
        var span = span
        if span.count > 2, Companies.namedByEnding(tokens, from: span.lowerBound + 2, in: utterance) != nil {
            span = span.lowerBound..<(span.lowerBound + 2)
        }
        if span.count >= 2, Companies.endsName(tokens[span.upperBound - 1]) { return nil }
        let ordinary = tokens[span].allSatisfy { token in
            !References.isCapitalized(token) && !PersonName.firstNames.contains(token.lower)
                && (token.text.count < 3 || CommonWords.contains(token.lower))
        }
        return ordinary ? nil : span
    }

    /// Whether a word is another entity's cue, or labels a company ("acct") when another entity is one.
    private func labelsAnotherValue(_ token: WordToken, stem: String, than entity: Entity) -> Bool {
        if slotCues.contains(where: { $0.key != entity.name && $0.value.before.contains([stem]) }) { return true }
        return entity.type != .company && Companies.labels.contains(token.lower) && entities.contains { $0.type == .company }
    }

    /// The words of a value starting at `start`.
    private func valueSpan(
        from start: Int, for entity: Entity, tokens: [WordToken], utterance: String, used: [Range<String.Index>],
        after: Set<String>
    ) -> Range<Int> {
        let capitalized = References.isCapitalized(tokens[start]) || PersonName.firstNames.contains(tokens[start].lower)
        var end = start
        while end < tokens.count, end - start < 6 {
            let token = tokens[end]
            if end > start {
                if tokens.punctuation(between: end - 1, and: end, in: utterance),
                    !PersonName.honorifics.contains(tokens[end - 1].lower)
                {
                    break
                }
                if after.contains(Stemmer.stem(token.lower)) { break }
                // "Jane Doe at Acme": a reference may name the company too.
                if case .reference = entity.type, ["at", "from"].contains(token.lower), end + 1 < tokens.count,
                    References.isCapitalized(tokens[end + 1])
                {
                    end += 2
                    continue
                }
                // In a capitalized name, capitalized words go on: "Big Deal", "Paper Supply 2026"; but "I" is nobody's
                // name ("any leads in Denver I could call").
                if Self.valueEnders.contains(token.lower), !(capitalized && References.isCapitalized(token)) || token.text == "I" {
                    break
                }
                // "Pieter van der Merwe": particles before a capitalized last name are part of it.
                let particle =
                    PersonName.particles.contains(token.text.lowercased())
                    && (end + 1..<min(end + 3, tokens.count)).contains { References.isCapitalized(tokens[$0]) }
                if capitalized, !References.isCapitalized(token), !token.text.allSatisfy(\.isNumber), !particle,
                    !Companies.joiners.contains(token.lower), !Companies.suffixes.contains(token.lower),
                    !(PersonName.firstNames.contains(tokens[end - 1].lower) && end - start == 1)
                {
                    // "the Initech expansion deal": lowercase words up to the object's word still name it.
                    if case .reference = entity.type,
                        let object = (end..<min(end + 2, tokens.count)).first(where: {
                            References.objectWords.contains(tokens[$0].lower)
                        }),
                        (end..<object).allSatisfy({
                            !StopWords.contains(tokens[$0].lower) && !References.namesNobody.contains(tokens[$0].lower)
                                && !Self.valueEnders.contains(tokens[$0].lower) && !isUsed(tokens[$0], used)
                        })
                    {
                        end = object
                    }
                    break
                }
            }
            if isUsed(token, used) { break }
            end += 1
        }
        // "'s" ends a reference: "Tom Becker's lead".
        if let possessive = (start..<end).first(where: { tokens[$0].text.hasSuffix("'s") || tokens[$0].text.hasSuffix("’s") }) {
            end = possessive + 1
        }
        while end > start + 1,
            References.trailingFiller.contains(tokens[end - 1].lower) || Self.trailingCourtesies.contains(tokens[end - 1].lower),
            !References.isCapitalized(tokens[end - 1])
        {
            end -= 1
        }
        return start..<end
    }

    private func isUsed(_ token: WordToken, _ used: [Range<String.Index>]) -> Bool {
        used.contains { $0.overlaps(token.range) }
    }
}
