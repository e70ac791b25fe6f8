import Foundation
internal import Yams

extension DialogFileReader {
    /// `word: [other, words]` pairs: each word with the words people use for it instead.
    mutating func synonyms(_ node: YAMLNode, in what: String) -> [String: [String]] {
        guard let pairs = pairs(of: node, in: what) else { return [:] }
        var synonyms: [String: [String]] = [:]
        for (word, keyNode, value) in pairs {
            if word.trimmingCharacters(in: .whitespaces).isEmpty {
                error("a synonym needs a word before the colon", at: keyNode)
                continue
            }
            guard let others = texts(value, for: word) else { continue }
            synonyms[word, default: []] += others.map(\.text)
        }
        return synonyms
    }
}
