import DialogModel
import ParleyJSON

extension EntityRecognizer {
    /// What names a record in an answer: "the lead for Jane Doe" gives "Jane Doe", "Tom's" gives "Tom".
    func recognizeReference(_ answer: String) -> Recognition {
        let tokens = WordToken.tokens(in: answer)
        var span = 0..<tokens.count
        while span.count > 1, References.leadingFiller.contains(tokens[span.lowerBound].lower) { span = span.dropFirst() }
        var droppedObject = false
        while span.count > 1, References.trailingFiller.contains(tokens[span.upperBound - 1].lower) {
            // "Brightline Platform Deal opportunity": a capitalized object word before the object named is the name's.
            let last = tokens[span.upperBound - 1]
            // So is one that ends a name of at least three capitalized words: "the Brightline Platform Deal", "'ZZ Test
            // Opp'"; "the Acme Opp" is Acme.
            let endsCapitalizedName =
                span.count > 2 && References.isCapitalized(last)
                && (span.upperBound - 3..<span.upperBound - 1).allSatisfy {
                    References.isCapitalized(tokens[$0]) && !References.leadingFiller.contains(tokens[$0].lower)
                }
            if References.isCapitalized(last), References.objectWords.contains(last.lower), droppedObject || endsCapitalizedName {
                break
            }
            droppedObject = droppedObject || References.objectWords.contains(last.lower)
            span = span.dropLast()
        }
        guard !span.isEmpty else { return .empty }
        // "mark him as" names nobody, nor does "remove the record".
        if span.allSatisfy({
            References.namesNobody.contains(tokens[$0].lower)
                || References.trailingFiller.contains(tokens[$0].lower) && !References.isCapitalized(tokens[$0])
        }) {
            return .empty
        }
        // "tomasz's lead is a dupe, can you bin it": an answer that says more than which record is read for the record
        // it names, as a request is. "Copy of Plzeň Brewhouse Controls" is a name, as it is.
        if span.count >= 5,
            span.filter({ !References.isCapitalized(tokens[$0]) && !Companies.joiners.contains(tokens[$0].lower) }).count >= 2,
            let named = findReferences(in: answer).first(where: { !References.backReferences.contains($0.text.lowercased()) }),
            case .string(let value) = named.value
        {
            return .value(.string(References.withoutPossessive(value)), text: answer)
        }
        let text = References.withoutPossessive(String(tokens.text(of: span, in: answer)))
        guard text.contains(where: { $0.isLetter || $0.isNumber }) else {
            return .invalid(reason: "Please give a name, a company, an email or a record id")
        }
        return .value(.string(text), text: answer)
    }

    /// Record references that stand out in free text, most certain first: record ids, emails,
    /// people ("Jane Doe", "Jane Doe at Acme"), then capitalized names ("Initech Expansion").
    func findReferences(in utterance: String) -> [Match] {
        var matches: [Match] = []
        func add(_ found: [Match]) {
            for match in found where !matches.contains(where: { $0.range.overlaps(match.range) }) { matches.append(match) }
        }
        add(findSalesforceIDs(in: utterance, keyPrefix: nil))
        add(findEmails(in: utterance).map { Match(value: .string($0.text), text: $0.text, range: $0.range) })
        let tokens = WordToken.tokens(in: utterance)
        // "mark him as working" is no Mark: a name's other words are never pronouns or joining words.
        let people = findNamesAnywhere(in: utterance, part: .full).filter { name in
            !WordToken.tokens(in: name.text).dropFirst().contains {
                References.namesNobody.contains($0.lower) || StopWords.contains($0.lower)
            }
        }
        // A name with a particle that goes on in capitalized words names a place or a record, not a person, and no
        // name is read inside it: "Punta del Este Fuel Dock Upgrade".
        let places = people.compactMap { name -> Range<String.Index>? in
            guard let words = tokens.span(of: name.range),
                tokens[words].contains(where: { PersonName.particles.contains(String($0.text)) }),
                let phrase = References.capitalizedPhrase(tokens, from: words.lowerBound, in: utterance),
                tokens[phrase.upperBound - 1].range.upperBound > name.range.upperBound
            else { return nil }
            return name.range.lowerBound..<tokens[phrase.upperBound - 1].range.upperBound
        }
        let names = people.filter { name in !places.contains { $0.overlaps(name.range) } }
        add(
            names.map { name in
                // "Jane Doe at Acme": the company tells which Jane Doe.
                guard let last = tokens.lastIndex(where: { $0.range.upperBound <= name.range.upperBound }),
                    last + 2 < tokens.count, ["at", "from", "of"].contains(tokens[last + 1].lower),
                    !tokens.punctuation(between: last, and: last + 1, in: utterance),
                    let company = References.capitalizedPhrase(tokens, from: last + 2, in: utterance)
                else {
                    let text = References.withoutPossessive(name.text)
                    return Match(value: .string(text), text: text, range: name.range)
                }
                let range = name.range.lowerBound..<tokens[company.upperBound - 1].range.upperBound
                return Match(value: .string(String(utterance[range])), text: String(utterance[range]), range: range)
            })
        // "lagos freight opp slipped to Q2", "a quick look at the shannon wind renewal opp": in any case, the words
        // between the start of the request or "the" and the object's word name the record.
        let starts = [0] + tokens.indices.filter { tokens[$0].lower == "the" }.map { $0 + 1 }
        for start in starts where start < tokens.count {
            guard
                let object = (start + 1..<min(start + 5, tokens.count)).first(where: {
                    References.objectWords.contains(tokens[$0].lower)
                }),
                (start..<object).allSatisfy({ index in
                    let word = tokens[index]
                    return word.text.allSatisfy { $0.isLetter || "&'’-".contains($0) } && !StopWords.contains(word.lower)
                        && !References.namesNobody.contains(word.lower) && !PersonName.notNames.contains(word.lower)
                        && (index == start || !tokens.punctuation(between: index - 1, and: index, in: utterance))
                })
            else { continue }
            add([tokens.match(of: start..<object, in: utterance, withoutPossessive: true)])
        }
        var index = 0
        while index < tokens.count {
            guard let capitalized = References.capitalizedPhrase(tokens, from: index, in: utterance),
                capitalized.count >= 2 || index > 0
            else {
                index += 1
                continue
            }
            var phrase = capitalized
            // "the Initech expansion deal": lowercase words between a name and the object's word belong to it.
            if let object = (phrase.upperBound..<min(phrase.upperBound + 3, tokens.count)).first(where: {
                References.objectWords.contains(tokens[$0].lower)
            }), object > phrase.upperBound,
                (phrase.upperBound..<object).allSatisfy({
                    !StopWords.contains(tokens[$0].lower) && !References.namesNobody.contains(tokens[$0].lower)
                        && !tokens.punctuation(between: $0 - 1, and: $0, in: utterance)
                })
            {
                phrase = phrase.lowerBound..<object
            }
            add([tokens.match(of: phrase, in: utterance, withoutPossessive: true)])
            index = phrase.upperBound
        }
        // "cardiff bay repairs portal — take it off the books": the record named in lowercase as the topic, before a
        // dash or a colon; before a comma, in two words or more, one of them no ordinary word ("chidinma eze, which
        // number do we have for her").
        if matches.isEmpty, let topic = References.openingTopic(tokens, in: utterance) {
            matches.append(tokens.match(of: topic, in: utterance, withoutPossessive: true))
        }
        // Nothing named: "delete it", "mark him as working" point back at the record just talked about.
        if matches.isEmpty, let pronoun = tokens.first(where: { References.backReferences.contains($0.lower) }) {
            matches.append(Match(value: .string(pronoun.lower), text: String(pronoun.text), range: pronoun.range))
        }
        return matches
    }
}

/// How people name records in requests.
enum References {
    /// The words that open a request as its topic, up to six before a dash, a colon or a comma: "cardiff bay repairs
    /// portal — take it off the books", "lucia at douro cork - get rid of her lead". Before a comma they are two words
    /// or more and one is no ordinary word, so "honestly, delete it" names nothing; none is a clause's word ("thandiwe
    /// nkosi isn't interested, …" says something of a record), but "at" may join a person to a company. An object's
    /// word after them is not theirs: "sendai cleanroom opp: …".
    static func openingTopic(_ tokens: [WordToken], in utterance: String) -> Range<Int>? {
        guard tokens.count >= 2,
            let end = (1..<min(7, tokens.count)).first(where: { tokens.punctuation(between: $0 - 1, and: $0, in: utterance) })
        else { return nil }
        var topic = 0..<end
        while topic.count > 1, objectWords.contains(tokens[topic.upperBound - 1].lower) { topic = topic.dropLast() }
        guard
            tokens[topic].indices.allSatisfy({ index in
                let token = tokens[index]
                // "lucia at douro cork — …": someone at their company.
                if token.lower == "at", index > topic.lowerBound, index < topic.upperBound - 1 { return true }
                return token.text.allSatisfy { $0.isLetter || $0.isNumber || "&'’-".contains($0) } && !token.isSeparator
                    && !StopWords.contains(token.lower) && !namesNobody.contains(token.lower)
                    && !PersonName.notNames.contains(token.lower) && !objectWords.contains(token.lower)
                    && !EntityExtractor.valueEnders.contains(token.lower)
            })
        else { return nil }
        let between = utterance[tokens[end - 1].range.upperBound..<tokens[end].range.lowerBound]
        if tokens[end].isSeparator || between.contains(where: { ":-–—".contains($0) }) { return topic }
        guard between.contains(","), topic.count >= 2, tokens[topic].contains(where: { !CommonWords.contains($0.lower) }) else {
            return nil
        }
        return topic
    }

    /// Words before a reference that are not part of it.
    static let leadingFiller: Set<String> = [
        "the", "a", "an", "that", "this", "lead", "leads", "opportunity", "opportunities", "deal", "deals", "oppty",
        "opp", "record", "account", "for", "of", "one", "it's", "its", "it", "is", "named", "called", "with", "on", "at",
        "about", "to", "show", "me", "find", "open", "pull", "up", "look", "get", "check", "view", "see", "i", "mean",
        "want", "need", "please", "what", "how", "off", "from", "onto", "into",
    ]
    /// Words of a description that points back at the record just made or seen: "the lead I just made", "the last
    /// one", "the one we just added".
    static let justMade: Set<String> = [
        "i", "we", "you", "just", "made", "created", "added", "entered", "logged", "put", "saved", "opened", "viewed",
        "looked", "at", "last", "latest", "newest", "recent", "one", "that", "the", "in", "have", "i've", "we've",
    ]
    /// The words of such a description that say which record: without one, "I" or "the one" names nobody yet.
    static let justMadeVerbs: Set<String> = [
        "made", "created", "added", "entered", "logged", "saved", "opened", "viewed", "last", "latest", "newest",
    ]
    /// Words that point back at a record: the task offers the one the user last worked on.
    static let backReferences: Set<String> = ["it", "him", "her", "them"]
    /// Words that point back at a person just talked about: "fix his title", "update her lead".
    static let pointersToSomeone: Set<String> = ["him", "his", "her", "them", "their"]
    /// Words that name the kind of record: "the Globex deal".
    static let objectWords: Set<String> = [
        "lead", "leads", "deal", "deals", "opportunity", "opportunities", "oppty", "opp", "opps", "account", "record",
    ]
    /// The kind of record each object word names, for telling a record of one kind from another's.
    static let objectKinds: [String: String] = [
        "lead": "lead", "leads": "lead", "prospect": "lead", "opportunity": "opportunity", "opportunities": "opportunity",
        "opp": "opportunity", "opps": "opportunity", "oppty": "opportunity", "deal": "opportunity", "deals": "opportunity",
        "account": "account", "accounts": "account",
    ]
    /// Words that cannot name a record on their own: pronouns, verbs of requests, joining words.
    static let namesNobody: Set<String> = [
        "him", "her", "them", "it", "he", "she", "they", "his", "hers", "their", "its", "me", "us", "you", "mark", "set",
        "make", "as", "and", "or", "to", "is", "be", "the", "a", "an", "that", "this", "one", "change", "update", "move",
        "i", "we", "he's", "she's", "it's", "they're", "i'm", "we're",
    ]
    /// Words after a reference that are not part of it.
    static let trailingFiller: Set<String> = [
        "lead", "leads", "opportunity", "deal", "oppty", "opp", "record", "account", "please", "pls", "thanks", "one",
        "entry", "prospect",
    ]

    /// "Tom Becker's" → "Tom Becker".
    static func withoutPossessive(_ text: String) -> String {
        for suffix in ["'s", "’s", "'", "’"] where text.hasSuffix(suffix) && text.count > suffix.count + 1 {
            return String(text.dropLast(suffix.count))
        }
        return text
    }

    /// Capitalized words (and digits, "&", "of" between them) starting at `index`: "Globex Fleet
    /// Expansion", "Paper Supply 2026", "Cedar & Pine Builders"; `nil` when the word there is not one.
    static func capitalizedPhrase(_ tokens: [WordToken], from index: Int, in utterance: String) -> Range<Int>? {
        guard index < tokens.count, isCapitalized(tokens[index]), !PersonName.notNames.contains(tokens[index].lower) else {
            return nil
        }
        var end = index + 1
        while end < tokens.count, end - index < 6, !tokens.punctuation(between: end - 1, and: end, in: utterance) {
            let token = tokens[end]
            if isCapitalized(token) || token.text.allSatisfy(\.isNumber) {
                // "Brightline Platform Deal opportunity": an object's word right before another is the name's.
                // So is one that ends a name of three capitalized words or more: "the Brightline Platform Deal".
                let namesItsObject =
                    objectWords.contains(token.lower)
                    && (end + 1 < tokens.count && objectWords.contains(tokens[end + 1].lower) || end - index >= 2)
                if PersonName.notNames.contains(token.lower) && !["inc", "llc", "ltd", "corp"].contains(token.lower)
                    && !namesItsObject
                {
                    break
                }
                end += 1
            } else if Companies.joiners.contains(token.lower) || PersonName.particles.contains(String(token.text)),
                end + 1 < tokens.count, isCapitalized(tokens[end + 1])
            {
                end += 2
            } else {
                break
            }
        }
        return index..<end
    }

    /// Every capitalized phrase of the text, left to right; one word only when it does not start the text.
    static func capitalizedPhrases(in tokens: [WordToken], utterance: String) -> [Range<Int>] {
        var phrases: [Range<Int>] = []
        var index = 0
        while index < tokens.count {
            guard let phrase = capitalizedPhrase(tokens, from: index, in: utterance), phrase.count >= 2 || index > 0 else {
                index += 1
                continue
            }
            phrases.append(phrase)
            index = phrase.upperBound
        }
        return phrases
    }

    static func isCapitalized(_ token: WordToken) -> Bool {
        guard let first = token.text.first else { return false }
        return first.isUppercase
    }
}
