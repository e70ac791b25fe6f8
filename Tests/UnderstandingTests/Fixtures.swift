import DialogModel
import Foundation
import ParleyJSON
import Understanding

/// Monday 2 March 2026, 12:00 UTC: the day every relative date in these tests is read against.
let referenceNow = Date(timeIntervalSince1970: 1_772_452_800)

let utc = RecognitionCalendar(now: referenceNow, timeZone: TimeZone(identifier: "UTC") ?? .gmt)

/// At 12:00 UTC it is already 3 March (Tuesday, 01:00) in Auckland.
let auckland = RecognitionCalendar(now: referenceNow, timeZone: TimeZone(identifier: "Pacific/Auckland") ?? .gmt)

let opportunityStages = ListSpec(
    items: [
        "Prospecting", "Qualification", "Needs Analysis", "Value Proposition", "Perception Analysis",
        "Negotiation/Review", "Closed Won", "Closed Lost",
    ].map { ListItem(value: $0) })

let leadSources = ListSpec(
    items: [
        ListItem(value: "Web"), ListItem(value: "Phone Inquiry", synonyms: ["phone", "call"]),
        ListItem(value: "Partner Referral", synonyms: ["partner"]), ListItem(value: "Other"),
    ],
    allowsMultiple: true)

func recognize(_ type: EntityType, _ answer: String, rules: EntityRules = .init(), calendar: RecognitionCalendar = utc)
    -> Recognition
{
    EntityRecognizer(type: type, rules: rules, calendar: calendar).recognize(answer)
}

/// The recognized value, or `nil` when the answer was not a value.
func value(_ type: EntityType, _ answer: String, rules: EntityRules = .init(), calendar: RecognitionCalendar = utc)
    -> JSONValue?
{
    guard case .value(let value, _) = recognize(type, answer, rules: rules, calendar: calendar) else { return nil }
    return value
}

func isInvalid(_ recognition: Recognition) -> Bool {
    if case .invalid = recognition { return true }
    return false
}

func money(_ amount: Double, _ currency: String) -> JSONValue {
    .object(["amount": .number(amount), "currency": .string(currency)])
}
