import CivilTime
import ParleyJSON

extension EntityRecognizer {
    func recognizeDate(_ answer: String) -> Recognition {
        let reader = DateReading(today: calendar.today)
        let words = WordToken.tokens(in: answer).map(\.lower)
        switch reader.date(words[...]) {
        case .date(let day)?: return .value(.string(day.isoText), text: answer)
        case .invalid?: return .invalid(reason: "That date isn't valid")
        case nil: break
        }
        // "on Friday", "by the end of the month", "I think Dec 31".
        var sawInvalidDate = false
        let matches = scan(answer, maxWords: 6, holding: DateReading.mayBeOfADate) { words in
            switch reader.date(words) {
            case .date(let day)?: return .string(day.isoText)
            case .invalid?:
                sawInvalidDate = true
                return nil
            case nil: return nil
            }
        }
        if let match = matches.first { return .value(match.value, text: match.text) }
        return .invalid(reason: sawInvalidDate ? "That date isn't valid" : "That isn't a date I understand")
    }

    func findDates(in utterance: String, tokens: [WordToken]? = nil) -> [Match] {
        let reader = DateReading(today: calendar.today)
        return scan(utterance, tokens: tokens, maxWords: 6, holding: DateReading.mayBeOfADate) { words in
            // Short weekday names are ordinary words too often ("Sun", "sat") to be dates in free text.
            if words.count == 1, let word = words.first, Self.ambiguousDateWords.contains(word) { return nil }
            guard case .date(let day)? = reader.date(words) else { return nil }
            return .string(day.isoText)
        }
    }

    private static let ambiguousDateWords: Set<String> = ["sun", "sat", "wed", "mon", "tue", "thu", "fri"]
}
