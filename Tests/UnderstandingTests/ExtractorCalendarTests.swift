import DialogModel
import Foundation
import ParleyJSON
import Testing
import Understanding

/// An extractor built once and moved to each turn's moment reads dates as a new one would.
@Suite struct ExtractorCalendarTests {
    /// "tomorrow" follows the calendar the extractor is moved to, not the one it was built with.
    @Test func readsDatesAgainstTheNewCalendar() {
        let built = EntityExtractor(
            utterances: ["book a visit {day}"], entities: [.init(name: "day", type: .date)], calendar: utc)
        let moved = built.reading(against: auckland)
        let fresh = EntityExtractor(
            utterances: ["book a visit {day}"], entities: [.init(name: "day", type: .date)], calendar: auckland)
        #expect(built.extract(from: "book a visit tomorrow") == ["day": .string("2026-03-03")])
        #expect(moved.extract(from: "book a visit tomorrow") == ["day": .string("2026-03-04")])
        #expect(moved.extract(from: "book a visit tomorrow") == fresh.extract(from: "book a visit tomorrow"))
    }
}
