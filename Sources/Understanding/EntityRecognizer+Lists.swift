import DialogModel
import Foundation
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
        // Values from the context are offered numbered: "2", "the second one", "#2".
        if list.valuesFrom != nil, let position = Self.position(in: answer, count: list.items.count) {
            return .value(.string(list.items[position].value), text: answer)
        }
        let matcher = ListMatcher.matching(list.items)
        let whole = recognizeOneItem(answer, matcher: matcher)
        guard list.allowsMultiple else {
            if case .value(.string(let value), let text) = whole, let periods = PeriodReading(list: list, calendar: calendar) {
                return .value(.string(periods.relative(value)), text: text)
            }
            return whole
        }
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
        let matcher = ListMatcher.matching(list.items)
        let periods = PeriodReading(list: list, calendar: calendar)
        var spoken: [Match] = []
        var periodRanges: [Range<String.Index>] = []
        if let periods {
            let tokens = WordToken.tokens(in: utterance)
            for period in periods.find(in: tokens) {
                let range = tokens.sourceRange(of: period.span)
                periodRanges.append(range)
                if let value = period.value {
                    spoken.append(Match(value: .string(value), text: String(utterance[range]), range: range))
                }
            }
        }
        let named = matcher.occurrences(in: utterance).compactMap { occurrence -> Match? in
            guard !periodRanges.contains(where: { $0.overlaps(occurrence.range) }) else { return nil }
            let value = list.items[occurrence.index].value
            return Match(
                value: .string(periods?.relative(value) ?? value), text: String(utterance[occurrence.range]),
                range: occurrence.range)
        }
        return (spoken + named).sorted { $0.range.lowerBound < $1.range.lowerBound }.map { match in
            list.allowsMultiple ? Match(value: .array([match.value]), text: match.text, range: match.range) : match
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

    /// The 0-based position an answer picks from a numbered list, if it picks one.
    static func position(in answer: String, count: Int) -> Int? {
        let words = WordToken.tokens(in: answer).map { $0.lower.trimmingCharacters(in: CharacterSet(charactersIn: "#.)")) }
            .filter { !["the", "a", "number", "no", "one", "option", "choice", "pick", "i", "want", "take", "please"].contains($0) }
        guard words.count == 1, let word = words.first else { return nil }
        let ordinals = [
            "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "fifth": 5, "5th": 5,
            "sixth": 6, "6th": 6, "seventh": 7, "7th": 7, "eighth": 8, "8th": 8, "ninth": 9, "9th": 9, "tenth": 10,
            "10th": 10, "last": count,
        ]
        guard let number = Int(word) ?? ordinals[word], (1...count).contains(number) else { return nil }
        return number - 1
    }

    private static func splitChoices(_ answer: String) -> [String] {
        var parts = [answer]
        for separator in [",", ";", " and ", " & ", " as well as "] {
            parts = parts.flatMap { $0.split(separator: separator).map(String.init) }
        }
        return parts.map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
    }
}
