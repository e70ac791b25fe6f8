public import DialogModel

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
        public var slotTypes: [String: EntityType]
        public var isDestructive: Bool

        public init(_ spec: IntentSpec, slotTypes: [String: EntityType] = [:], isDestructive: Bool = false) {
            self.spec = spec
            self.slotTypes = slotTypes
            self.isDestructive = isDestructive
        }
    }

    /// How sure the classifier must be, named so that each can be read and tuned on its own.
    public struct Thresholds: Sendable {
        /// The best intent needs at least this probability to start.
        public var start = 0.5
        /// A runner-up with at least this share of the best intent's probability makes the request a question.
        public var ambiguity = 0.45
        /// A runner-up needs at least this probability to be offered in a question.
        public var candidate = 0.15
        /// A destructive task needs at least this probability, besides one of its words.
        public var destructive = 0.7

        public init() {}
    }

    private let names: [String]
    private let destructive: [Bool]
    private var text: IntentText
    private let features: [String: Int]
    private let model: SoftmaxRegression
    /// Stems that say a destructive intent: its synonyms' words and the words only destructive intents use.
    private let destructiveWords: Set<String>
    public let thresholds: Thresholds

    /// Trains on the intents' utterances; `synonyms` are the bot's own, besides the intents'.
    public init(intents: [Intent], synonyms: [String: [String]] = [:], thresholds: Thresholds = Thresholds()) {
        var allSynonyms = synonyms
        for intent in intents {
            allSynonyms.merge(intent.spec.synonyms) { $0 + $1 }
        }
        var text = IntentText(synonyms: allSynonyms)
        names = intents.map(\.spec.name)
        destructive = intents.map(\.isDestructive)
        self.thresholds = thresholds

        var samples: [(tokens: [String], label: Int)] = []
        for (label, intent) in intents.enumerated() {
            // The intent's name is an utterance too: "Create Lead".
            for utterance in intent.spec.utterances + [intent.spec.name] {
                let tokens = text.trainingTokens(utterance, slotTypes: intent.slotTypes)
                if !tokens.isEmpty { samples.append((tokens, label)) }
            }
        }
        let noneLabel = intents.count
        for utterance in OutOfScopeExamples.utterances {
            samples.append((text.trainingTokens(utterance, slotTypes: [:]), noneLabel))
        }
        for sample in samples { text.learn(sample.tokens) }
        self.text = text

        var features: [String: Int] = [:]
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
        self.features = features
        model = SoftmaxRegression(classCount: intents.count + 1, featureCount: features.count, examples: examples)

        // Words of destructive intents that no other intent uses, and their synonyms' words.
        var destructiveWords = Set<String>()
        var otherWords = Set<String>()
        for (label, intent) in intents.enumerated() {
            let words = samples.filter { $0.label == label }.flatMap(\.tokens).filter { !$0.hasPrefix("#") }
            if intent.isDestructive {
                destructiveWords.formUnion(words)
                for word in intent.spec.synonyms.keys { destructiveWords.formUnion(IntentText.stems(word)) }
            } else {
                otherWords.formUnion(words)
            }
        }
        self.destructiveWords = destructiveWords.subtracting(otherWords)
    }

    /// The intent the request asks for, a question between two or three, or none.
    public func classify(_ request: String) -> IntentMatch {
        let tokens = text.tokens(request)
        let ranked = ranking(tokens)
        guard let best = ranked.first, best.label < names.count else { return .none }
        if destructive[best.label] {
            guard saysDestructiveWord(tokens) else {
                // Never a destructive task without its word: the best other intent, if it is sure.
                return decide(ranked.filter { !destructive[$0.label] }, allowDestructive: false)
            }
        }
        return decide(ranked, allowDestructive: true)
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
                // Unsure about a destructive request: ask, offering the closest safe task too.
                let safe = ranked.first { !destructive[$0.label] && $0.label < names.count && $0.probability >= thresholds.candidate }
                return safe.map { .ambiguous([names[best.label], names[$0.label]]) } ?? .none
            }
        }
        return .matched(name: names[best.label], score: best.probability)
    }

    private func ranking(_ tokens: [String]) -> [(label: Int, probability: Double)] {
        // Nothing the bot knows: not even worth asking the model.
        guard tokens.contains(where: { !$0.hasPrefix("#") }) else { return [(names.count, 1)] }
        let vector = Self.vector(tokens) { features[$0] }
        guard !vector.isEmpty else { return [(names.count, 1)] }
        return model.probabilities(vector).enumerated().map { ($0.offset, $0.element) }.sorted {
            ($0.probability, -$0.label) > ($1.probability, -$1.label)
        }
    }

    /// Whether the request says a destructive word that no "don't", "not" or "never" just before negates.
    private func saysDestructiveWord(_ tokens: [String]) -> Bool {
        tokens.indices.contains { index in
            destructiveWords.contains(tokens[index])
                && !tokens[max(0, index - 3)..<index].contains { Self.negations.contains($0) }
        }
    }

    private static let negations: Set<String> = ["don't", "dont", "not", "never", "no", "without", "nor"]

    /// Words and neighbouring pairs as a unit-length feature vector; `index` gives each name's
    /// feature, or `nil` for names the model never saw.
    private static func vector(_ tokens: [String], index: (String) -> Int?) -> [(index: Int, value: Double)] {
        var counts: [Int: Double] = [:]
        var previous = "^"
        for token in tokens {
            if let feature = index("w " + token) { counts[feature, default: 0] += 1 }
            if let feature = index("b " + previous + " " + token) { counts[feature, default: 0] += 0.7 }
            previous = token
        }
        let length = counts.values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard length > 0 else { return [] }
        return counts.map { ($0.key, $0.value / length) }.sorted { $0.index < $1.index }
    }
}
