import ParleyJSON

/// Names of deals: a name that ends in a word for a piece of work sold ("Sendai Cleanroom Expansion", "Gaborone
/// Sorting Line Cameras", "speyside cask tracking") names what is being sold, not a person or a company, which tells
/// an opportunity from a lead when the request names neither.
extension IntentText {
    /// The token for a name that ends like a deal's.
    static let deal = "#deal"

    /// Words that end the names of pieces of work sold. Words that end companies' names as often ("Systems",
    /// "Services", "Solutions") are not among them.
    static let dealEndings: Set<String> = [
        "expansion", "renewal", "renewals", "upgrade", "upgrades", "rollout", "roll-out", "migration", "retrofit", "pilot",
        "project", "deployment", "implementation", "install", "installation", "integration", "contract", "license",
        "licenses", "licence", "licences", "subscription", "refresh", "replacement", "programme", "phase", "sensors",
        "cameras", "tracking", "monitoring", "automation", "platform", "erp", "crm", "portal", "overhaul", "modernization",
        "modernisation", "extension", "buildout", "build-out", "fit-out", "fitout", "telematics", "control", "controls",
        "upsell", "add-on", "addon", "rebuild", "revamp", "digitization", "digitisation", "tender", "bid", "telemetry",
        "lease", "audit", "maintenance", "app", "engine", "scanning", "scada", "dispatch",
    ]

    /// Words that a deal's name never follows itself on: "the expansion", "our renewal", "to upgrade".
    private static let beforeNoName: Set<String> = [
        "a", "an", "the", "my", "our", "your", "their", "his", "her", "its", "this", "that", "these", "those", "new",
        "for", "of", "to", "on", "in", "at", "by", "and", "or", "with", "is", "was", "are", "be", "no", "any", "some",
        "it", "them", "about", "from", "as", "next", "last", "big", "every", "each", "another", "other",
    ]

    /// The deal-like names in the text: a word of ``dealEndings`` after a word that can be part of a name, the ending
    /// word only, since what comes before it is a name read as one. `words` are the text's, when already split.
    static func dealNames(in text: String, words: [WordToken]) -> [EntityRecognizer.Match] {
        words.indices.compactMap { index in
            guard index > 0, dealEndings.contains(words[index].lower) else { return nil }
            let previous = words[index - 1]
            // Only a word of the same phrase: "Acme, upgrade it" has none.
            guard text[previous.range.upperBound..<words[index].range.lowerBound].allSatisfy({ $0 == " " }),
                !beforeNoName.contains(previous.lower),
                previous.lower.first.map({ $0.isLetter || $0.isNumber }) == true
            else { return nil }
            return EntityRecognizer.Match(value: .string(words[index].lower), text: String(words[index].text), range: words[index].range)
        }
    }
}
