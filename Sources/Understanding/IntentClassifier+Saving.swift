import DialogModel
public import Foundation

/// Saving what training learned, so that loading a bot whose utterances have not changed reads the model back
/// in a few milliseconds instead of training it again.
extension IntentClassifier {
    /// The version of training and of the saved layout. Change it whenever training, the features, the
    /// recognizers that turn words into kinds, or the layout change: models saved by another version are never
    /// read, and are trained again.
    static let savedModelVersion: UInt32 = 11
    /// "PRIC": a Parley intent classifier.
    private static let savedModelMagic: UInt32 = 0x4349_5250

    /// Names what these intents and synonyms train into: equal fingerprints train equal models, and any change to
    /// an utterance, a synonym, a slot's type or examples, or the training version gives another.
    public static func fingerprint(intents: [Intent], synonyms: [String: [String]] = [:]) -> String {
        var text = "version \(savedModelVersion)\n"
        func addSynonyms(_ synonyms: [String: [String]]) {
            for (word, others) in synonyms.sorted(by: { $0.key < $1.key }) { text += "synonyms \(word.debugDescription) \(others)\n" }
        }
        addSynonyms(synonyms)
        for intent in intents {
            text += "intent \(intent.spec.name.debugDescription) destructive \(intent.isDestructive)\n"
            text += "utterances \(intent.spec.utterances)\n"
            addSynonyms(intent.spec.synonyms)
            for (name, slot) in intent.slots.sorted(by: { $0.key < $1.key }) {
                text += "slot \(name.debugDescription) \(String(reflecting: slot.type)) \(slot.examples)\n"
            }
        }
        text += "none \(OutOfScopeExamples.utterances)\n"
        return fingerprintHash(text)
    }

    /// The fingerprint of what this classifier was trained on.
    public var fingerprint: String { trainedOn }

    /// What training learned, to be read back by ``init(intents:synonyms:thresholds:savedModel:)``.
    public func savedModel() -> Data {
        var writer = SavedModelWriter()
        writer.write(Self.savedModelMagic)
        writer.write(Self.savedModelVersion)
        writer.write(trainedOn)
        let vocabulary = text.learned
        writer.write(vocabulary.stems)
        writer.write(count: vocabulary.words.count)
        for (word, stem) in vocabulary.words {
            writer.write(word)
            writer.write(stem)
        }
        var keys = [UInt64](repeating: 0, count: features.count)
        for (key, index) in features { keys[index] = key.value }
        writer.write(count: keys.count)
        for key in keys { writer.write(key) }
        writer.write(count: model.classCount)
        writer.write(count: model.weights.count)
        for weight in model.weights { writer.write(weight) }
        writer.write(count: model.biases.count)
        for bias in model.biases { writer.write(bias) }
        writer.write(destructiveWords.sorted())
        return writer.data
    }

    /// Reads back a model ``savedModel()`` wrote for these same intents and synonyms; `nil` when it was saved for
    /// others, by another version, or is damaged, and then the caller trains anew.
    public init?(
        intents: [Intent], synonyms: [String: [String]] = [:], thresholds: Thresholds = Thresholds(), savedModel: Data
    ) {
        self.init(
            intents: intents, synonyms: synonyms, thresholds: thresholds, savedModel: savedModel,
            fingerprint: Self.fingerprint(intents: intents, synonyms: synonyms))
    }

    /// The classifier of these intents: read back from the model `saved` gives under its name when there is one
    /// for them, else trained now and given to `save`. The name is `intents-` and the fingerprint.
    public static func readingSaved(
        intents: [Intent], synonyms: [String: [String]] = [:], saved: (_ name: String) -> Data?,
        save: (_ model: Data, _ name: String) -> Void
    ) -> IntentClassifier {
        let fingerprint = Self.fingerprint(intents: intents, synonyms: synonyms)
        let name = "intents-" + fingerprint
        if let data = saved(name),
            let classifier = IntentClassifier(
                intents: intents, synonyms: synonyms, thresholds: Thresholds(), savedModel: data, fingerprint: fingerprint)
        {
            return classifier
        }
        let classifier = IntentClassifier(
            training: intents, synonyms: synonyms, thresholds: Thresholds(), fingerprint: fingerprint)
        save(classifier.savedModel(), name)
        return classifier
    }

    /// Reads a saved model for intents whose fingerprint the caller has already taken.
    init?(
        intents: [Intent], synonyms: [String: [String]], thresholds: Thresholds, savedModel: Data, fingerprint: String
    ) {
        var reader = SavedModelReader(savedModel)
        let learned: Learned?
        let vocabulary: (stems: [String], words: [(word: String, stem: String)])?
        do {
            guard try reader.readUInt32() == Self.savedModelMagic, try reader.readUInt32() == Self.savedModelVersion,
                try reader.readString() == fingerprint
            else { return nil }
            let stems = try reader.readStrings()
            let wordCount = try reader.readCount(eachAtLeast: 8)
            let words = try (0..<wordCount).map { _ in (word: try reader.readString(), stem: try reader.readString()) }
            let keyCount = try reader.readCount(eachAtLeast: 8)
            var features: [FeatureKey: Int] = [:]
            for index in 0..<keyCount {
                guard features.updateValue(index, forKey: FeatureKey(value: try reader.readUInt64())) == nil else { return nil }
            }
            let classCount = Int(try reader.readUInt32())
            let weights = try reader.readFloats()
            let biases = try reader.readFloats()
            let destructiveWords = Set(try reader.readStrings())
            guard reader.isAtEnd,
                let model = SoftmaxRegression(classCount: classCount, featureCount: keyCount, weights: weights, biases: biases)
            else { return nil }
            learned = Learned(features: features, model: model, destructiveWords: destructiveWords)
            vocabulary = (stems, words)
        } catch {
            return nil
        }
        self.init(intents: intents, synonyms: synonyms, thresholds: thresholds, fingerprint: fingerprint) { text, _ in
            guard let vocabulary else { return nil }
            text.restore(stems: vocabulary.stems, words: vocabulary.words)
            return learned
        }
    }
}
