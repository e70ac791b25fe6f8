import DialogModel
import ParleyJSON

extension EntityRecognizer {
    /// The display names of a list entity's items that start with `prefix`, ignoring case, in list
    /// order; empty for other types. Meant for Tab completion.
    public func completions(prefix: String) -> [String] {
        guard case .list(let list) = type else { return [] }
        let lower = prefix.lowercased()
        return list.items.map(\.display).filter { $0.lowercased().hasPrefix(lower) }
    }

    func recognizeListItems(_ answer: String, in list: ListSpec) -> Recognition {
        let matcher = ListMatcher(items: list.items)
        let whole = recognizeOneItem(answer, matcher: matcher)
        guard list.allowsMultiple else { return whole }
        // An item whose name holds "and" is still one item, when the whole answer names it.
        let wholeCandidates = matcher.bestCandidates(for: answer)
        if wholeCandidates.count == 1, let only = wholeCandidates.first, only.score >= 0.95 {
            return .value(.array([.string(matcher.items[only.index].value)]), text: answer)
        }
        // "Web and Phone Inquiry, Email": each part must name an item.
        let parts = Self.splitChoices(answer)
        guard parts.count > 1 else {
            if case .value(let value, let text) = whole { return .value(.array([value]), text: text) }
            return whole
        }
        var values: [JSONValue] = []
        for part in parts {
            switch recognizeOneItem(part, matcher: matcher) {
            case .value(let value, _):
                if !values.contains(value) { values.append(value) }
            case .ambiguous(let items): return .ambiguous(items)
            case .invalid, .empty: return .invalid(reason: "\"\(part)\" isn't one of the choices")
            }
        }
        return .value(.array(values), text: answer)
    }

    func findListItems(in utterance: String, list: ListSpec) -> [Match] {
        let matcher = ListMatcher(items: list.items)
        return matcher.occurrences(in: utterance).map { occurrence in
            let value = JSONValue.string(list.items[occurrence.index].value)
            return Match(
                value: list.allowsMultiple ? .array([value]) : value, text: String(utterance[occurrence.range]),
                range: occurrence.range)
        }
    }

    private func recognizeOneItem(_ answer: String, matcher: ListMatcher) -> Recognition {
        let candidates = matcher.bestCandidates(for: answer)
        switch candidates.count {
        case 0: return .invalid(reason: "That isn't one of the choices")
        case 1: return .value(.string(matcher.items[candidates[0].index].value), text: answer)
        default: return .ambiguous(candidates.map { matcher.items[$0.index] })
        }
    }

    private static func splitChoices(_ answer: String) -> [String] {
        var parts = [answer]
        for separator in [",", ";", " and ", " & ", " as well as "] {
            parts = parts.flatMap { $0.split(separator: separator).map(String.init) }
        }
        return parts.map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
    }
}
