public import DialogModel
import Foundation

/// Decides which task a request asks for, with a model trained on the bot's utterances when the
/// bot loads.
///
/// The request goes through ``IntentText`` (typed values, stems, synonyms, typos), becomes word
/// and word-pair features, and a softmax regression gives each intent a probability, with one
/// more class for requests no task serves (trained on ``OutOfScopeExamples``). Then caution:
/// - a request that is close between two tasks is a question (`.ambiguous`), never a guess;
/// - an unsure request matches nothing;
/// - a destructive task (``DialogTask/isDestructive``) starts only from a sure match that says
///   one of its words ("delete", "get rid of"), never negated ("don't delete anything").
public struct IntentClassifier: Sendable {
    /// An intent to learn, with the types of its slots and whether its task destroys data.
    public struct Intent: Sendable {
        public var spec: IntentSpec
        /// The entities its `{slots}` name: their types and example values.
        public var slots: [String: EntitySpec]
        public var isDestructive: Bool

        public init(_ spec: IntentSpec, slots: [String: EntitySpec] = [:], isDestructive: Bool = false) {
            self.spec = spec
            self.slots = slots
            self.isDestructive = isDestructive
        }
    }

    /// How sure the classifier must be, named so that each can be read and tuned on its own.
    public struct Thresholds: Sendable {
        /// The best intent needs at least this probability to start.
        public var start = 0.4
        /// A runner-up with at least this share of the best intent's probability makes the request a question.
        public var ambiguity = 0.7
        /// A runner-up needs at least this probability to be offered in a question.
        public var candidate = 0.15
        /// A destructive task needs at least this probability, besides one of its words.
        public var destructive = 0.7

        public init() {}
    }

    /// Verbs of intent names ("Create", "Search"); the other words of a name are what the task is about.
    static let actionWords: Set<String> = Set(
        [
            "create", "add", "new", "update", "edit", "change", "view", "show", "list", "search", "find", "delete", "remove",
            "get", "open", "log", "book", "set", "make", "check", "cancel", "send", "all", "my", "a", "an", "the", "by", "id",
        ]
        .map(Stemmer.stem))

    /// The action words that say what to do, not which records ("my", "all"): "let me see Payments API before my call"
    /// asks to see Payments API, not for a call.
    static let requestVerbs = actionWords.subtracting(["all", "my", "a", "an", "the", "by", "id"].map(Stemmer.stem))

    /// How many variants of one training utterance its list and field-change slots give at most.
    static let variantsPerUtterance = 8

    private let names: [String]
    private let destructive: [Bool]
    /// What each intent is about, by its name's object words ("lead" for Update Lead).
    private let intentObjects: [Set<String>]
    let text: IntentText
    let features: [FeatureKey: Int]
    let model: SoftmaxRegression
    /// What the intents are about: the words of their names but the verbs ("lead", "opportunity").
    private let objectWords: Set<String>
    /// Words that say a destructive intent: its synonyms' words and the words only destructive intents use.
    let destructiveWords: Set<String>
    /// The fingerprint of the intents and synonyms it learned from (``fingerprint(intents:synonyms:)``).
    let trainedOn: String
    public let thresholds: Thresholds
    /// What each intent does: the first word of its name, stemmed ("creat" for Create Lead).
    private let verbOf: [String]
    /// Every intent's verb.
    private let verbs: Set<String>
    /// The names of the fields some task changes, as stems ("phone number", "rating", "lead source").
    private let fieldNames: Set<[String]>
    /// Whether each intent takes field changes (a slot of type `changes`).
    private let changesFields: [Bool]
    /// The names of the fields each intent changes and of their list values, as stems ("mobile", "needs analysis").
    private let fieldWordsOf: [Set<[String]>]
    /// Every intent's ``fieldWordsOf`` together.
    private let fieldWords: Set<[String]>
    /// The stems of the destructive intents' verbs ("delet").
    private let destructiveVerbs: Set<String>
    /// Whether each intent only reads records: its verb is one of ``readingVerbs`` ("View Lead", "List Leads").
    private let reads: [Bool]
    /// Whether each intent shows one record: it reads, and takes a record reference ("View Lead").
    private let showsOne: [Bool]
    /// Whether each intent is about one record it is given: it takes a record reference ("Update Lead", not "List
    /// Leads").
    private let takesRecord: [Bool]
    /// The intents that make a record from a row of values, with their list slots (``detailLists(of:reads:takesRecord:)``).
    let detailLists: [(label: Int, lists: [ListMatcher])]
    /// The verbs of intents that do something other than make records ("updat", "delet", "view").
    let otherVerbs: Set<String>
    /// The verbs of intents that show records and change nothing.
    static let readingVerbs: Set<String> = Set(["view", "show", "list", "search", "find", "get", "look", "see"].map(Stemmer.stem))

    /// Trains on the intents' utterances; `synonyms` are the bot's own, besides the intents'.
    public init(intents: [Intent], synonyms: [String: [String]] = [:], thresholds: Thresholds = Thresholds()) {
        self.init(
            training: intents, synonyms: synonyms, thresholds: thresholds,
            fingerprint: Self.fingerprint(intents: intents, synonyms: synonyms))
    }

    /// Trains on the intents, whose fingerprint the caller has already taken.
    init(training intents: [Intent], synonyms: [String: [String]], thresholds: Thresholds, fingerprint: String) {
        // Training cannot fail, so neither can this.
        self.init(intents: intents, synonyms: synonyms, thresholds: thresholds, fingerprint: fingerprint) { text, objects in
            Self.train(intents, text: &text, objects: objects)
        }!
    }

    /// The parts every classifier of these intents shares, and what `learn` gives: trained, or read back from a
    /// saved model (`nil` when it cannot be).
    init?(
        intents: [Intent], synonyms: [String: [String]], thresholds: Thresholds, fingerprint: String,
        learn: (inout IntentText, _ objects: Set<String>) -> Learned?
    ) {
        trainedOn = fingerprint
        var allSynonyms = synonyms
        for intent in intents {
            allSynonyms.merge(intent.spec.synonyms) { $0 + $1 }
        }
        var text = IntentText(synonyms: allSynonyms, values: intents.flatMap(Self.changedFields(of:)).flatMap(Self.listValues))
        names = intents.map(\.spec.name)
        let verbOf = intents.map { IntentText.plainWords(in: Substring($0.spec.name)).first?.stem ?? "" }
        self.verbOf = verbOf
        verbs = Set(verbOf.filter { !$0.isEmpty })
        destructive = intents.map(\.isDestructive)
        destructiveVerbs = Set(intents.indices.filter { intents[$0].isDestructive }.map { verbOf[$0] })
        let reads = intents.indices.map { !intents[$0].isDestructive && Self.readingVerbs.contains(verbOf[$0]) }
        self.reads = reads
        let takesRecord = intents.map { intent in
            intent.slots.values.contains { if case .reference = $0.type { true } else { false } }
        }
        self.takesRecord = takesRecord
        showsOne = intents.indices.map { reads[$0] && takesRecord[$0] }
        self.thresholds = thresholds
        // What the intents are about: their names' words but the verbs.
        let objects = Set(intents.flatMap { IntentText.plainWords(in: Substring($0.spec.name)).map(\.stem) })
            .subtracting(Self.actionWords)
        objectWords = objects
        intentObjects = intents.map { Set(IntentText.plainWords(in: Substring($0.spec.name)).map(\.stem)).intersection(objects) }
        let fieldWordsOf = intents.map(Self.fieldWords(of:))
        self.fieldWordsOf = fieldWordsOf
        fieldWords = fieldWordsOf.reduce(into: []) { $0.formUnion($1) }
        fieldNames = Self.fieldNames(of: intents)
        changesFields = intents.map { intent in
            intent.slots.values.contains { if case .changes = $0.type { true } else { false } }
        }
        let detailLists = intents.indices.compactMap { label in
            Self.detailLists(of: intents[label], reads: reads[label], takesRecord: takesRecord[label]).map { (label: label, lists: $0) }
        }
        self.detailLists = detailLists
        otherVerbs = verbs.subtracting(detailLists.map { verbOf[$0.label] })
        guard let learned = learn(&text, objects), learned.model.classCount == intents.count + 1 else { return nil }
        self.text = text
        features = learned.features
        model = learned.model
        destructiveWords = learned.destructiveWords
    }

    /// What training learns from the utterances, besides the vocabulary it teaches ``IntentText``.
    struct Learned {
        var features: [FeatureKey: Int]
        var model: SoftmaxRegression
        /// Words that say a destructive intent.
        var destructiveWords: Set<String>
    }

    /// Learns the vocabulary, the features and the model from the intents' utterances and ``OutOfScopeExamples``.
    private static func train(_ intents: [Intent], text: inout IntentText, objects: Set<String>) -> Learned {
        var samples: [(tokens: [IntentToken], label: Int)] = []
        for (label, intent) in intents.enumerated() {
            let slotSamples = IntentText.slotSamples(intent.slots)
            // The intent's name is an utterance too: "Create Lead".
            for utterance in intent.spec.utterances + [intent.spec.name] {
                let variants = text.trainingVariants(
                    utterance, slots: intent.slots, samples: slotSamples, limit: Self.variantsPerUtterance)
                for tokens in variants where !tokens.isEmpty {
                    samples.append((tokens, label))
                }
            }
        }
        // Requests about what the bot's own tasks are about are never examples of "none".
        let noneLabel = intents.count
        for utterance in OutOfScopeExamples.utterances {
            let tokens = text.trainingTokens(utterance, slots: OutOfScopeExamples.slots)
            if !tokens.contains(where: { objects.contains($0.stem) }) { samples.append((tokens, noneLabel)) }
        }
        for sample in samples { text.learn(sample.tokens) }

        var features: [FeatureKey: Int] = [:]
        var examples: [SoftmaxRegression.Example] = []
        var perClass = [Int](repeating: 0, count: intents.count + 1)
        for sample in samples { perClass[sample.label] += 1 }
        let average = Double(samples.count) / Double(max(perClass.filter { $0 > 0 }.count, 1))
        for sample in samples {
            let vector = Self.vector(sample.tokens) { name in
                if let index = features[name] { return index }
                features[name] = features.count
                return features.count - 1
            }
            examples.append(
                .init(features: vector, label: sample.label, weight: average / Double(perClass[sample.label])))
        }
        let model = SoftmaxRegression(classCount: intents.count + 1, featureCount: features.count, examples: examples)

        // The verbs of destructive intents, as written ("delete", not "deleted"), and their synonyms, that no other
        // intent uses. Only a verb says to destroy: "duplicate", "test" or "was" in a delete's utterances do not.
        var destructiveWords = Set<String>()
        var otherWords = Set<String>()
        for (label, intent) in intents.enumerated() {
            let tokens = samples.filter { $0.label == label }.flatMap(\.tokens).filter { !$0.isKind }
            if intent.isDestructive {
                let verb = IntentText.plainWords(in: Substring(intent.spec.name)).first.map { [$0.word] } ?? []
                let said = Set(verb + intent.spec.synonyms.keys.flatMap { IntentText.plainWords(in: Substring($0)).map(\.word) })
                destructiveWords.formUnion(said)
            } else {
                otherWords.formUnion(tokens.map(\.word))
                otherWords.formUnion(tokens.map(\.stem))
            }
        }
        return Learned(features: features, model: model, destructiveWords: destructiveWords.subtracting(otherWords))
    }

    /// The intent the request asks for, a question between two or three, or none.
    public func classify(_ request: String) -> IntentMatch {
        let match = classifyWhole(request)
        // "can you delete the Danube Logistics opportunity? keep Aleksandra's lead, only the opp goes": what is said
        // around a request can blur it; when the whole is unsure, one clause that is sure on its own says it.
        if case .matched = match {
        } else if let clear = clearClause(of: request, within: match) {
            return clear
        }
        // "create a lead and an opportunity": two requests in one are a question, not a guess.
        guard case .matched(let name, _) = match, let and = request.range(of: " and ") else { return match }
        let left = String(request[..<and.lowerBound])
        var right = String(request[and.upperBound...])
        // The second side must name what a task is about ("an opportunity"), not only a field, a
        // name or a date ("title to CTO", "Cedar and Pine").
        guard namesAnObject(text.tokens(right)),
            case .matched(let first, _) = classifyWhole(left)
        else { return match }
        // The second request may share the first one's verb: "create a lead and an opportunity".
        if case .matched = classifyWhole(right) {
        } else if let verb = left.split(separator: " ").first {
            right = verb + " " + right
        }
        if case .matched(let second, _) = classifyWhole(right), first != second, first == name || second == name {
            return .ambiguous([first, second])
        }
        return match
    }

    /// Whether the tokens name what a task is about ("an opportunity"), not only as part of a field's name ("lead
    /// source is purchased list").
    private func namesAnObject(_ tokens: [IntentToken]) -> Bool {
        tokens.indices.contains { index in
            guard objectWords.contains(tokens[index].stem) else { return false }
            let rest = tokens[index...].map(\.stem)
            return !fieldNames.contains { $0.count > 1 && rest.starts(with: $0) }
        }
    }

    /// The one task that a clause of the request asks for on its own, sure of it by the same rules as a whole request
    /// (a destructive one needs its word and a sure match), when no other clause asks for another and the whole did
    /// not rule it out: "Kwame Mensah is already a contact on the Accra Solar account, so delete his lead".
    private func clearClause(of request: String, within match: IntentMatch) -> IntentMatch? {
        let clauses = Self.clauses(of: request)
        guard clauses.count > 1 else { return nil }
        var found: [(name: String, score: Double, clause: String)] = []
        for clause in clauses {
            switch classifyWhole(clause) {
            case .matched(let name, let score): found.append((name, score, clause))
            case .ambiguous: return nil
            case .none: continue
            }
        }
        guard let first = found.first, found.allSatisfy({ $0.name == first.name }) else { return nil }
        if case .ambiguous(let candidates) = match {
            // A clause that names no kind of record cannot settle which kind the whole request is unsure of: in
            // "Ubud Resort Guest App, delete it from salesforce altogether", "it" is the app, lead or deal.
            guard candidates.contains(first.name) else { return nil }
            let objects = Set(candidates.compactMap { names.firstIndex(of: $0).map { intentObjects[$0] } })
            if objects.count > 1, !namesAnObject(text.tokens(first.clause)) { return nil }
        }
        return .matched(name: first.name, score: first.score)
    }

    /// The clauses of a request: its sentences, and the parts of a sentence between commas and semicolons or before
    /// a ", so" ("…, so delete his lead").
    /// A mark ends a clause only before a space or the end: "$1.2M", "1,200" and "jane.doe@acme.com" stay whole.
    static func clauses(of request: String) -> [String] {
        var clauses: [Substring] = []
        var start = request.startIndex
        for index in request.indices where ".?!;,".contains(request[index]) {
            let next = request.index(after: index)
            guard next == request.endIndex || request[next].isWhitespace else { continue }
            clauses.append(request[start..<index])
            start = next
        }
        clauses.append(request[start...])
        return clauses.map { $0.trimmingCharacters(in: .whitespaces) }
            .map { $0.hasPrefix("so ") ? String($0.dropFirst(3)) : $0 }
            .filter { $0.split(separator: " ").count >= 2 }
    }

    /// Reads a request that may point back at what the previous task was about: "delete it" after
    /// viewing an opportunity means Delete Opportunity. Only a request that names no object of its own
    /// and says "it", "him", "her" or "them" is read that way, and a destructive one still needs its word.
    public func classify(_ request: String, following previous: String?) -> IntentMatch {
        let match = classify(request)
        if case .matched = match { return match }
        guard let previous else { return match }
        let tokens = text.tokens(request)
        guard !tokens.contains(where: { objectWords.contains($0.stem) }),
            tokens.contains(where: { References.backReferences.contains($0.word.lowercased()) && !$0.negated })
        else { return match }
        let previousObjects = Set(IntentText.plainWords(in: Substring(previous)).map(\.stem)).intersection(objectWords)
        guard !previousObjects.isEmpty else { return match }
        // The intents about what the previous task was about share the probability with "none": "ok now delete it"
        // weighs deleting that record against nothing, not against deleting another kind of record.
        let about = Self.sharing(
            ranking(tokens).filter { entry in
                entry.label == names.count
                    || !Set(IntentText.plainWords(in: Substring(names[entry.label])).map(\.stem)).isDisjoint(with: previousObjects)
            })
        let candidates = about.filter { $0.label < names.count && $0.probability >= thresholds.candidate }
        guard let best = candidates.first, !destructive[best.label] || saysDestructiveWord(tokens) else { return match }
        return .matched(name: names[best.label], score: best.probability)
    }

    /// What people keep in a CRM besides what the tasks are about; a request naming one of them and
    /// none of the tasks' own objects is for none of them.
    static let foreignObjects: Set<String> = [
        "contact", "contacts", "case", "cases", "ticket", "tickets", "call", "calls", "meeting", "meetings", "event",
        "events", "campaign", "campaigns", "contract", "contracts", "invoice", "invoices", "order", "orders", "product",
        "products", "account", "accounts", "task", "tasks", "note", "notes", "report", "reports", "dashboard",
        "dashboards", "attachment", "attachments", "file", "files", "document", "documents", "doc", "docs", "column",
        "columns", "reminder", "reminders", "role", "roles", "newsletter", "newsletters", "todo", "todos", "to-do",
        "appointment", "appointments", "comment", "comments", "activity", "activities", "photo", "photos", "picture",
        "pictures", "logo", "pdf", "folder", "folders", "sequence", "cadence", "chatter", "post", "posts",
    ]

    /// Whether what a destructive word takes away is another kind of thing than the tasks' records, named before any
    /// of them: "delete the attachment I uploaded to the Nile Pump opp", "remove Eero from the March newsletter
    /// campaign". Such a request is for none of the tasks, whatever record it mentions.
    private func destroysSomethingElse(_ tokens: [IntentToken]) -> Bool {
        tokens.indices.contains { index in
            guard saysDestructiveWord(at: index, in: tokens), !tokens[index].negated else { return false }
            let following = tokens[(index + 1)...].prefix(6)
            for (offset, token) in zip(following.indices, following) {
                if objectWords.contains(token.stem) { return false }
                // "the rotorua turbine service contract opportunity": a word of the record's name.
                let namesOne = offset + 1 < tokens.count && objectWords.contains(tokens[offset + 1].stem)
                if Self.foreignObjects.contains(token.word), !namesOne { return true }
            }
            return false
        }
    }

    private func classifyWhole(_ request: String) -> IntentMatch {
        let tokens = text.tokens(request)
        // "create a contact for Maria Lopez" asks for something no task is about: never a lead. The
        // other object must be what is asked for, right after the verb, not a word on the side
        // ("before my call", "on the Cyberdyne account").
        let asksForAnother = tokens.indices.contains { index in
            guard Self.foreignObjects.contains(tokens[index].word) else { return false }
            let before = tokens[max(0, index - 3)..<index]
            // What is asked for follows its verb with nothing named between: "show Payments API before my
            // call" asks for Payments API.
            guard let verb = before.lastIndex(where: { Self.requestVerbs.contains($0.stem) }) else { return false }
            let between = tokens[(verb + 1)..<index]
            // A name right before it is what it is called: "delete the Mekong Agritech account", "add Amara Nwosu as
            // a contact".
            if !between.isEmpty, between.allSatisfy({ $0.isKind || $0.word == "as" }) { return true }
            return !between.contains(where: \.isKind)
        }
        if asksForAnother, !tokens.contains(where: { objectWords.contains($0.stem) || $0.stem.hasPrefix("#id") }) {
            return .none
        }
        if destroysSomethingElse(tokens) { return .none }
        var ranked = ranking(tokens)
        if let label = newRecordFromDetails(request, tokens: tokens) {
            let probability = ranked.first { $0.label == label }?.probability ?? 0
            return .matched(name: names[label], score: max(probability, thresholds.start))
        }
        // "is Declan Murphy still rated warm?", "where did the Henrik Dahl lead come from": a question about what is
        // there, that reads like a change by the field or value it names, asks to see the record.
        // The model must read it as about records: sure of a change, or the request names what it is about ("is the
        // Lagos Textiles opp still in negotiation?"); "is it gonna rain in Dublin" is about neither.
        if Self.asksWhatIs(request) || Self.endsAskingWhatIs(request), let best = ranked.first, best.label < names.count,
            !reads[best.label] && best.probability >= thresholds.start
                || tokens.contains(where: { !$0.negated && (objectWords.contains($0.stem) || $0.stem == IntentText.person) })
        {
            ranked = asViewing(ranked)
        }
        // "Callum McAllister's lead — his mobile is 07700 900 412": a record already there, and a field's value said
        // of it, asks to change it rather than to see it.
        if !Self.asksWhatIs(request), !Self.endsAskingWhatIs(request), tokens.contains(where: { $0.known && !$0.negated }),
            statesAValue(tokens)
        {
            ranked = asChanging(ranked)
        }
        // "open up the Haruto Kobayashi lead, read only, I'm not changing anything": a change said not to be wanted,
        // and none said to be, leaves the intents that read.
        if saysNoChange(tokens) {
            ranked = Self.sharing(ranked.filter { $0.label == names.count || reads[$0.label] })
        }
        // "remove the email from Jane's lead": emptying a field is a change, for the intents that change fields.
        if clearsAField(tokens) {
            let changing = Self.sharing(ranked.filter { $0.label < names.count && changesFields[$0.label] })
            return settled(decide(changing, allowDestructive: false), by: tokens, ranked: ranked)
        }
        guard let best = ranked.first, best.label < names.count else { return .none }
        if destructive[best.label] {
            // "can you delete leads, or do I have to do that in Salesforce myself?" asks what the bot can do.
            if Self.asksWhetherItCan(tokens) { return .none }
            guard saysDestructiveWord(tokens) else {
                // Never a destructive task without its word: the best other intent, if it is sure.
                // The destructive tasks ruled out, the others share what is left: "not a delete, I want to ADD a
                // lead" is sure about Create Lead.
                let safe = Self.sharing(ranked.filter { $0.label == names.count || !destructive[$0.label] })
                return settled(decide(safe, allowDestructive: false), by: tokens, ranked: ranked)
            }
            // "Shannon Wind O&M Renewal is a duplicate, please delete mine" says what to do but not to what: when
            // another record type is a fair candidate too, the bot asks rather than guess what to delete.
            if !tokens.contains(where: { !$0.negated && objectWords.contains($0.stem) }) {
                let deleting = ranked.filter { $0.label < names.count && destructive[$0.label] }
                if deleting.count > 1, deleting[1].probability >= thresholds.candidate {
                    return .ambiguous(deleting.prefix(2).map { names[$0.label] })
                }
            }
        }
        let match = settled(decide(ranked, allowDestructive: true), by: tokens, ranked: ranked)
        if let deleting = saidDestruction(instead: match, tokens: tokens, ranked: ranked) { return deleting }
        return correctedByFields(match, tokens: tokens, ranked: ranked)
    }

    /// Whether a request asks if something can be done to records in general rather than asks for it: it opens with
    /// "can you", "could you", "can I", "are you able", "is it possible" or "do you", and its verb's object is a
    /// plural record word, and nothing in it names a record ("can you delete leads, or do I have to do that myself?").
    /// "can you delete leads from Acme?" and "can you delete Siobhan Gallagher from our leads?" name which.
    static func asksWhetherItCan(_ tokens: [IntentToken]) -> Bool {
        guard tokens.count >= 4 else { return false }
        let opening = [tokens[0].word, tokens[1].word]
        let asks = [["can", "you"], ["could", "you"], ["can", "i"], ["are", "you"], ["is", "it"], ["do", "you"]]
        guard asks.contains(opening),
            let object = tokens.indices.dropFirst(2).first(where: { recordWords.contains(tokens[$0].stem) }),
            tokens[object].word != tokens[object].stem, !tokens[object].isKind
        else { return false }
        return !tokens.contains { $0.isKind && namingKinds.contains($0.stem) }
    }

    /// The stems of plural record words a capability question names ("leads", "opportunities", "deals").
    private static let recordWords = Set(["lead", "opportunity", "deal", "opp", "record"].map(Stemmer.stem))
    /// Kinds of token that name which record a request is about.
    private static let namingKinds: Set<String> = ["#text", "#person", "#deal", "#email", "#id", "#phone", "#url"]

    /// The destructive intent a request asks for in words, where the model leans to another intent about the same
    /// record by the request's other words: "one of my leads needs deleting" reads like a list by "my leads". The
    /// request must say its destructive word and no other verb, name the record's object ("lead"), and the model must
    /// count the destructive intent a fair candidate.
    private func saidDestruction(
        instead match: IntentMatch, tokens: [IntentToken], ranked: [(label: Int, probability: Double)]
    ) -> IntentMatch? {
        let leaning: String
        switch match {
        case .matched(let name, _): leaning = name
        case .ambiguous(let candidates): leaning = candidates[0]
        case .none: return nil
        }
        guard let label = names.firstIndex(of: leaning), !destructive[label], saysDestructiveWord(tokens) else { return nil }
        let otherVerbs = Self.requestVerbs.union(verbs).union(Self.changeVerbs).union(Self.settingVerbs)
            .subtracting(destructiveVerbs).subtracting([Stemmer.stem("get")])
        guard !tokens.contains(where: { !$0.negated && otherVerbs.contains($0.stem) }),
            tokens.contains(where: { !$0.negated && intentObjects[label].contains($0.stem) }),
            let deleting = ranked.first(where: {
                $0.label < names.count && destructive[$0.label] && intentObjects[$0.label] == intentObjects[label]
            }),
            deleting.probability >= thresholds.candidate
        else { return nil }
        return .matched(name: names[deleting.label], score: deleting.probability)
    }

    /// A question between tasks that do different things is settled by the one thing the request says to do:
    /// "could you please create a lead? name's …, company …, title …" reads like an update by its fields, but
    /// it says "create". Never in favour of a destructive task, which needs a sure match of its own.
    private func settled(
        _ match: IntentMatch, by tokens: [IntentToken], ranked: [(label: Int, probability: Double)]
    ) -> IntentMatch {
        guard case .ambiguous(let candidates) = match else { return match }
        if let byFields = settledByFields(candidates, tokens: tokens, ranked: ranked) { return byFields }
        let said = Set(tokens.filter { !$0.negated && verbs.contains($0.stem) }.map(\.stem))
        guard said.count == 1 else { return match }
        let chosen = candidates.filter { name in
            guard let label = names.firstIndex(of: name), !destructive[label] else { return false }
            return said.contains(verbOf[label])
        }
        guard chosen.count == 1, let name = chosen.first, let label = names.firstIndex(of: name) else { return match }
        let probability = ranked.first { $0.label == label }?.probability ?? 0
        return .matched(name: name, score: probability)
    }

    /// A question between tasks that change fields of different records, settled by the fields and values the request
    /// names: only a lead has a mobile, only an opportunity a stage ("change Rustam Nazarov's mobile to …").
    private func settledByFields(
        _ candidates: [String], tokens: [IntentToken], ranked: [(label: Int, probability: Double)]
    ) -> IntentMatch? {
        let labels = candidates.compactMap { names.firstIndex(of: $0) }
        guard labels.count == candidates.count, labels.allSatisfy({ changesFields[$0] }) else { return nil }
        return onlyChangeNaming(fieldWordsSaid(in: tokens), among: labels, ranked: ranked)
    }

    /// A change read as one record's that names only fields or values another record has, read as that record's:
    /// "Rift Valley Milk Cooling goes back to needs analysis" moves a deal, not a lead. Never across a record the
    /// request names ("the Rift Valley lead"), which ``ranking(_:)`` has already kept to.
    private func correctedByFields(
        _ match: IntentMatch, tokens: [IntentToken], ranked: [(label: Int, probability: Double)]
    ) -> IntentMatch {
        guard case .matched(let name, _) = match, let label = names.firstIndex(of: name), changesFields[label] else {
            return match
        }
        let said = fieldWordsSaid(in: tokens)
        guard !said.isEmpty, said.isDisjoint(with: fieldWordsOf[label]) else { return match }
        let others = ranked.map(\.label).filter { $0 < names.count && $0 != label && changesFields[$0] && !destructive[$0] }
        return onlyChangeNaming(said, among: others, ranked: ranked) ?? match
    }

    /// The one intent among these that changes every field and value said, if exactly one does.
    private func onlyChangeNaming(
        _ said: Set<[String]>, among labels: [Int], ranked: [(label: Int, probability: Double)]
    ) -> IntentMatch? {
        guard !said.isEmpty else { return nil }
        let fitting = labels.filter { said.isSubset(of: fieldWordsOf[$0]) }
        guard fitting.count == 1, let label = fitting.first else { return nil }
        return .matched(name: names[label], score: ranked.first { $0.label == label }?.probability ?? 0)
    }

    /// The field names and list values of any intent that the request says, not negated.
    private func fieldWordsSaid(in tokens: [IntentToken]) -> Set<[String]> {
        let stems = tokens.filter { !$0.negated }.map(\.stem)
        return fieldWords.filter { words in stems.indices.contains { stems[$0...].starts(with: words) } }
    }

    /// The tokens a request becomes, for looking into how it was read.
    public func tokens(_ request: String) -> [String] {
        var read: [String] = []
        for token in text.tokens(request) {
            if token.known { read.append(IntentText.known + "|" + IntentText.known) }
            read.append((token.negated ? "!" : "") + token.stem + "|" + token.word)
        }
        return read
    }

    /// The stems of the words a text says, as the classifier reads them: synonyms become the word they stand for ("the
    /// deal" says "opportunity"), typos are corrected; negated words ("not the lead") and typed values are left out.
    public func stemsSaid(in text: String) -> Set<String> {
        Set(self.text.tokens(text).filter { !$0.negated && !$0.isKind }.map(\.stem))
    }

    /// Every intent's probability for the request, best first, for traces.
    public func probabilities(_ request: String) -> [(name: String, probability: Double)] {
        ranking(text.tokens(request)).map { ($0.label < names.count ? names[$0.label] : "none", $0.probability) }
    }

    private func decide(_ ranked: [(label: Int, probability: Double)], allowDestructive: Bool) -> IntentMatch {
        guard let best = ranked.first, best.label < names.count else { return .none }
        let runnersUp = ranked.dropFirst().prefix(2).filter {
            $0.label < names.count && $0.probability >= thresholds.candidate
                && $0.probability >= best.probability * thresholds.ambiguity
        }
        if !runnersUp.isEmpty {
            return .ambiguous([names[best.label]] + runnersUp.map { names[$0.label] })
        }
        guard best.probability >= thresholds.start else { return .none }
        if destructive[best.label] {
            guard allowDestructive, best.probability >= thresholds.destructive else {
                // Unsure about a destructive request: ask, offering the closest safe task too, or else the closest
                // other one ("get rid of Globex Fleet Expansion": the lead or the opportunity?). A question starts
                // nothing, and the task it leads to still confirms before it deletes.
                let others = ranked.filter { $0.label < names.count && $0.label != best.label && $0.probability >= thresholds.candidate }
                let other = others.first { !destructive[$0.label] } ?? (allowDestructive ? others.first : nil)
                return other.map { .ambiguous([names[best.label], names[$0.label]]) } ?? .none
            }
        }
        return .matched(name: names[best.label], score: best.probability)
    }

    private func ranking(_ tokens: [IntentToken]) -> [(label: Int, probability: Double)] {
        // Nothing the bot knows: not even worth asking the model.
        guard tokens.contains(where: { !$0.isKind }) else { return [(names.count, 1)] }
        let vector = Self.vector(tokens) { features[$0] }
        guard !vector.isEmpty else { return [(names.count, 1)] }
        var ranked = model.probabilities(vector).enumerated().map { (label: $0.offset, probability: $0.element) }
        // A request that names one object ("the Gulf Horizon lead") is about that object: intents
        // about others drop out, and the rest share their probability.
        let named = Set(tokens.filter { !$0.negated && objectWords.contains($0.stem) }.map(\.stem))
        if named.count == 1, ranked.contains(where: { $0.label < names.count && !intentObjects[$0.label].isDisjoint(with: named) }) {
            ranked = Self.sharing(
                ranked.filter { $0.label == names.count || !intentObjects[$0.label].isDisjoint(with: named) })
        }
        // A record said as one already there ("Callum McAllister's lead — his mobile is …", "the Gulf Horizon lead")
        // is no new one unless the request says to make one: "add Jane's colleague Tom as a lead" still creates.
        if tokens.contains(where: { $0.known && !$0.negated }) {
            let said = Set(tokens.filter { !$0.negated }.map(\.stem))
            ranked = Self.sharing(
                ranked.filter { $0.label == names.count || takesRecord[$0.label] || reads[$0.label] || said.contains(verbOf[$0.label]) })
        }
        // A record id names one record: "opp 006…: stage perception analysis" is about that record, never a list of
        // them or a new one.
        if tokens.contains(where: { $0.stem.hasPrefix("#id") && !$0.negated }),
            ranked.contains(where: { $0.label < names.count && takesRecord[$0.label] })
        {
            ranked = Self.sharing(ranked.filter { $0.label == names.count || takesRecord[$0.label] })
        }
        return ranked.sorted { ($0.probability, -$0.label) > ($1.probability, -$1.label) }
    }

    /// The intents left after others dropped out, sharing the whole probability in proportion.
    private static func sharing(_ ranked: [(label: Int, probability: Double)]) -> [(label: Int, probability: Double)] {
        let total = ranked.reduce(0) { $0 + $1.probability }
        guard total > 0 else { return ranked }
        return ranked.map { (label: $0.label, probability: $0.probability / total) }
    }

    /// Whether the request says a destructive word that no "don't", "not" or "never" just before negates, and
    /// that is said of a record, not of one of its fields.
    private func saysDestructiveWord(_ tokens: [IntentToken]) -> Bool {
        // A delete said of a field takes the request's other destructive-sounding words with it: "remove the phone
        // number from Tariq's lead, that was his old line" clears a value.
        guard !clearsAField(tokens) else { return false }
        return tokens.indices.contains { index in
            saysDestructiveWord(at: index, in: tokens) && !tokens[index].negated && !Self.refused(at: index, in: tokens)
                // "remove me from the pipeline email" is about the one asking, not a record.
                && !(index + 1 < tokens.count && Self.theOneAsking.contains(tokens[index + 1].word))
        }
    }

    /// Whether a token says a destructive word: as written ("delete", "get rid of"), misspelled ("dlt", "delte"), or
    /// an inflection that asks for the deletion ("I want it deleted", "needs deleting"), not one that tells of a
    /// deletion done ("the lead I deleted", "it was removed").
    private func saysDestructiveWord(at index: Int, in tokens: [IntentToken]) -> Bool {
        let token = tokens[index]
        if destructiveWords.contains(token.word) { return true }
        guard destructiveVerbs.contains(token.stem) else { return false }
        // A misspelling is read as the verb's stem.
        if token.word == token.stem { return true }
        guard index > 0, !Self.tellingDone.contains(tokens[index - 1].word) else { return false }
        return IntentText.isWishedFor(at: index, in: tokens)
    }

    /// Words for changing a record besides the intents' own verbs.
    private static let changeVerbs: Set<String> = Set(["change", "edit", "modify", "alter", "touch", "amend"].map(Stemmer.stem))
    /// Verbs that say which value a field gets: "set it to closed lost", "mark her hot".
    private static let settingVerbs: Set<String> = Set(["set", "mark", "move", "make", "put", "bump", "push"].map(Stemmer.stem))

    /// Whether the request says a change is not wanted ("I'm not changing anything", "no edits") and says no change
    /// or deletion is ("don't update anything, just delete …", "not changing the old one, new opp: …").
    private func saysNoChange(_ tokens: [IntentToken]) -> Bool {
        let changing = tokens.filter { token in
            Self.changeVerbs.contains(token.stem) || token.word == "new"
                || verbs.contains(token.stem) && !Self.readingVerbs.contains(token.stem) && !destructiveVerbs.contains(token.stem)
        }
        // "don't delete Andes Conveyor Upgrade, just set it to closed lost": a change said in other words.
        let saysAChange = tokens.contains { !$0.negated && Self.settingVerbs.contains($0.stem) }
        return changing.contains(where: \.negated) && !changing.contains { !$0.negated } && !saysAChange
            && !saysDestructiveWord(tokens)
    }

    /// The ranking with each intent that changes records giving its probability to the intent that shows one record
    /// of the same object ("Update Lead" to "View Lead"), where there is one.
    private func asViewing(_ ranked: [(label: Int, probability: Double)]) -> [(label: Int, probability: Double)] {
        var probabilities = Dictionary(uniqueKeysWithValues: ranked.map { ($0.label, $0.probability) })
        for entry in ranked where entry.label < names.count && !reads[entry.label] {
            guard let viewer = names.indices.first(where: { showsOne[$0] && intentObjects[$0] == intentObjects[entry.label] })
            else { continue }
            probabilities[viewer, default: 0] += entry.probability
            probabilities[entry.label] = 0
        }
        return probabilities.map { (label: $0.key, probability: $0.value) }
            .sorted { ($0.probability, -$0.label) > ($1.probability, -$1.label) }
    }

    /// The ranking with each intent that shows one record giving its probability to the intent that changes a record
    /// of the same object, where there is one.
    private func asChanging(_ ranked: [(label: Int, probability: Double)]) -> [(label: Int, probability: Double)] {
        var probabilities = Dictionary(uniqueKeysWithValues: ranked.map { ($0.label, $0.probability) })
        for entry in ranked where entry.label < names.count && showsOne[entry.label] {
            guard
                let changer = names.indices.first(where: {
                    changesFields[$0] && !destructive[$0] && intentObjects[$0] == intentObjects[entry.label]
                })
            else { continue }
            probabilities[changer, default: 0] += entry.probability
            probabilities[entry.label] = 0
        }
        return probabilities.map { (label: $0.key, probability: $0.value) }
            .sorted { ($0.probability, -$0.label) > ($1.probability, -$1.label) }
    }

    /// Words after a field's name that give it a value: "his mobile is …", "title should be …", "stage now …".
    private static let valueGivers: Set<String> = ["is", "should", "now", "becomes", "will"]

    /// Whether the tokens say a field's value: a field's name, then "is", "should be" or the like, then something.
    private func statesAValue(_ tokens: [IntentToken]) -> Bool {
        let stems = tokens.map(\.stem)
        return fieldWords.contains { words in
            stems.indices.contains { index in
                let after = index + words.count
                return stems[index...].starts(with: words) && after + 1 < tokens.count && !tokens[index].negated
                    && Self.valueGivers.contains(tokens[after].word)
            }
        }
    }

    /// Whether the request is a question about what is, not one about how to do something or a request put as a
    /// question: "is Jane still warm?", "where did the Dahl lead come from", "what did we set as next step on …"; not
    /// "how do I delete a lead", "is there a way to add a lead", "are you able to update leads".
    static func asksWhatIs(_ request: String) -> Bool {
        // Only the first four words are read: split no further, lowercase only those, and leave Foundation's
        // replacing to the rare word with a typographic apostrophe. Lowercasing never makes or takes a space, so the
        // words are those of the whole request lowercased.
        let words = request.split(maxSplits: 4, whereSeparator: { $0.isWhitespace }).prefix(4).map { word in
            let kept = String(word.lowercased().filter { $0.isLetter || $0 == "'" || $0 == "’" })
            return kept.contains("’") ? kept.replacingOccurrences(of: "’", with: "'") : kept
        }
        guard let first = words.first, questionWords.contains(first) else { return false }
        let second = words.dropFirst().first ?? ""
        if second == "you" || second == "there" || second == "it" && words.dropFirst(2).first == "possible" { return false }
        if first == "how", ["do", "does", "can", "could", "would", "should", "to", "i"].contains(second) { return false }
        if first == "what", second == "do" || second == "should" { return false }
        return true
    }

    /// Whether the request ends in such a question after what led to it: "Kagiso Molefe phoned back, is his lead hot
    /// or warm atm?".
    static func endsAskingWhatIs(_ request: String) -> Bool {
        guard request.last == "?", let comma = request.dropLast().lastIndex(where: { ",.;:".contains($0) }) else { return false }
        let question = request[request.index(after: comma)...].dropLast().trimmingCharacters(in: .whitespaces)
        // "delete the Jane Doe lead, is that ok?" asks leave for the request.
        if let last = question.split(separator: " ").last, askingLeave.contains(last.lowercased()) { return false }
        return asksWhatIs(question)
    }

    /// Last words of a question that asks leave for what was said before it: "is that ok?", "would that be possible?".
    private static let askingLeave: Set<String> = [
        "ok", "okay", "possible", "fine", "alright", "right", "correct", "cool", "doable", "allowed",
    ]

    /// The words that open a question about what is.
    private static let questionWords: Set<String> = [
        "is", "are", "was", "were", "did", "does", "has", "have", "when", "when's", "whens", "where", "where's", "wheres",
        "what", "what's", "whats", "who", "who's", "whos", "whose", "which", "how",
    ]

    /// Words for the one asking, which no destructive task deletes.
    private static let theOneAsking: Set<String> = ["me", "us", "myself", "ourselves"]

    /// Words before an inflected verb that tell of something done, not ask for it: "I deleted", "was removed".
    private static let tellingDone: Set<String> = [
        "i", "we", "you", "he", "she", "they", "someone", "somebody", "was", "were", "been", "is", "are", "already", "just",
        "got", "had", "has", "have", "accidentally",
    ]

    /// Whether the request asks to empty a field: a destructive verb said of a field rather than a record ("remove the
    /// phone number from Tariq's lead"), or a verb that only ever empties ("clear her email"). Not "I deleted an email".
    private func clearsAField(_ tokens: [IntentToken]) -> Bool {
        tokens.indices.contains { index in
            (saysDestructiveWord(at: index, in: tokens) || ChangeReading.clearingVerbs.contains(tokens[index].word))
                && !tokens[index].negated && removesAField(after: index, in: tokens)
        }
    }

    /// Whether what a destructive word removes is a field, named before any record: "remove the phone number from
    /// Tariq's lead" and "delete jane's email" clear a value and keep the record; "delete Jane's lead" and "delete
    /// it" do not.
    private func removesAField(after index: Int, in tokens: [IntentToken]) -> Bool {
        for start in (index + 1)..<min(index + 3, tokens.count) {
            let token = tokens[start]
            // "delete it (don't just close it)": what is refused is another request, not what is removed.
            if token.negated { return false }
            // A name before the field says whose it is: "delete jane's email", "remove Tariq's phone".
            let name = token.stem == IntentText.person || token.stem == IntentText.text
            if objectWords.contains(token.stem) || token.isKind && !name { return false }
            let rest = tokens[start...].map(\.stem)
            if fieldNames.contains(where: { rest.starts(with: $0) }) { return true }
        }
        return removesFromOneRecord(after: index, in: tokens)
    }

    /// Whether what a destructive word removes is taken from one record, so is part of it: "her phone number is dead,
    /// remove it from her lead". Not "remove Jane from leads", which takes the record out of the list.
    private func removesFromOneRecord(after index: Int, in tokens: [IntentToken]) -> Bool {
        guard let from = tokens[(index + 1)...].prefix(4).firstIndex(where: { $0.word == "from" }), from + 2 < tokens.count
        else { return false }
        let owner = tokens[from + 1]
        return (Self.recordOwners.contains(owner.word) || owner.stem == IntentText.person) && objectWords.contains(tokens[from + 2].stem)
    }

    /// Words that say whose record: "from her lead", "from this deal".
    private static let recordOwners: Set<String> = ["her", "his", "its", "this", "that"]

    /// The field names that the intents' field-change slots know, as stems ("phone number", "close date", "lead
    /// source").
    private static func fieldNames(of intents: [Intent]) -> Set<[String]> {
        Set(intents.flatMap(changedFields(of:)).flatMap(\.words).map(stems(of:)).filter { !$0.isEmpty })
    }

    /// The names of the fields an intent changes and of their list values, as stems, and the kinds of value only some
    /// fields hold (`#amount`, `#date`, `#email`, `#phone`, `#number`).
    private static func fieldWords(of intent: Intent) -> Set<[String]> {
        var words = Set<[String]>()
        for field in changedFields(of: intent) {
            var phrases = field.words
            switch field.type {
            // A value of a kind only some fields hold says which: "make it 80k" is about an amount.
            case .amount, .date, .email, .phone, .percentage: words.insert([IntentText.kind(of: field.type)])
            case .list: phrases += listValues(of: field)
            default: break
            }
            words.formUnion(phrases.map(stems(of:)).filter { !$0.isEmpty })
        }
        return words
    }

    /// The values of a list field, with their synonyms; none for other fields.
    private static func listValues(of field: ChangesSpec.Field) -> [String] {
        guard case .list(let list) = field.type else { return [] }
        return list.items.flatMap { [$0.value] + $0.synonyms }
    }

    /// The fields the intent's field-change slots know.
    private static func changedFields(of intent: Intent) -> [ChangesSpec.Field] {
        intent.slots.values.flatMap { slot -> [ChangesSpec.Field] in
            if case .changes(let changes) = slot.type { changes.fields } else { [] }
        }
    }

    private static func stems(of phrase: String) -> [String] {
        IntentText.plainWords(in: Substring(phrase)).map(\.stem)
    }

    /// Words that, just before a destructive word, take it back: "not a delete", "no deleting".
    private static let refusals: Set<String> = ["not", "no", "don't", "dont", "never", "without", "nor"]

    /// Whether a refusal just before the word takes it back: "not delete", "never ever delete". A "not" a word
    /// further back belongs to a value: "don't mark her as not converted — just delete her lead".
    private static func refused(at index: Int, in tokens: [IntentToken]) -> Bool {
        if index > 0, refusals.contains(tokens[index - 1].word) { return true }
        return index > 1 && tokens[index - 2].word != "not" && refusals.contains(tokens[index - 2].word)
    }

    /// How much each kind of feature counts before the vector is scaled to unit length: the stem counts most,
    /// the word as written and each piece of it half as much, a pair of neighbouring stems less still.
    private enum FeatureWeight {
        static let stem = 1.0
        static let writtenWord = 0.5
        static let neighbours = 0.3
        static let piece = 0.5
    }

    /// Stems, words as written ("leads" is not "lead"), neighbouring pairs and pieces of three and
    /// four letters as a unit-length feature vector; `index` gives each feature's index, or `nil` for features the
    /// model never saw.
    private static func vector(_ tokens: [IntentToken], index: (FeatureKey) -> Int?) -> [(index: Int, value: Double)] {
        var counts: [Int: Double] = [:]
        var previous = "^"
        for token in tokens {
            if token.known {
                if let feature = index(FeatureKey("w", "", IntentText.known)) { counts[feature, default: 0] += FeatureWeight.stem }
                if let feature = index(FeatureKey("b", previous, " ", "", IntentText.known)) {
                    counts[feature, default: 0] += FeatureWeight.neighbours
                }
                previous = IntentText.known
            }
            let negation = token.negated ? "!" : ""
            if let feature = index(FeatureKey("w", negation, token.stem)) { counts[feature, default: 0] += FeatureWeight.stem }
            if token.word != token.stem, let feature = index(FeatureKey("s", token.word)) {
                counts[feature, default: 0] += FeatureWeight.writtenWord
            }
            if let feature = index(FeatureKey("b", previous, " ", negation, token.stem)) {
                counts[feature, default: 0] += FeatureWeight.neighbours
            }
            previous = negation + token.stem
            // Pieces of the word, which hold up against misspellings and other forms of it.
            guard !token.isKind, !token.negated else { continue }
            let scalars = ["<"] + Array(token.word.unicodeScalars) + [">"]
            for length in 3...4 where scalars.count >= length {
                for start in 0...(scalars.count - length) {
                    if let feature = index(FeatureKey(piece: scalars[start..<start + length])) {
                        counts[feature, default: 0] += FeatureWeight.piece
                    }
                }
            }
        }
        let length = counts.values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard length > 0 else { return [] }
        return counts.map { ($0.key, $0.value / length) }.sorted { $0.index < $1.index }
    }
}

/// A feature's name ("w lead", "c <le"), kept as a 64-bit hash of its text: naming features is the most frequent
/// thing training and classifying do, and a number is built and looked up without making a string.
struct FeatureKey: Hashable, Sendable {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    /// A key read back from a saved model.
    init(value: UInt64) {
        self.value = value
    }

    /// The key of the parts' text joined: a kind letter, then the words.
    init(_ parts: String...) {
        for part in parts {
            for byte in part.utf8 { add(byte) }
        }
    }

    /// The key of a piece of a word: "c " and its letters.
    init(piece: ArraySlice<Unicode.Scalar>) {
        add(UInt8(ascii: "c"))
        var hash = value
        for scalar in piece {
            UTF8.encode(scalar) { byte in hash = (hash ^ UInt64(byte)) &* Self.prime }
        }
        value = hash
    }

    private static let prime: UInt64 = 0x0000_0100_0000_01b3

    private mutating func add(_ byte: UInt8) {
        value = (value ^ UInt64(byte)) &* Self.prime
    }
}
