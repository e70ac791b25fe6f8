import CivilTime

/// Parsed queries by their text, and their plans for the day they were made, so repeated queries skip
/// the parser and the name checks; bounded, cleared when full.
struct QueryCache: Sendable {
    private struct Entry: Sendable {
        var query: SOQLQuery
        /// Date literals such as `TODAY` are fixed in the plan, so it holds only for `planDay`.
        var plan: SOQLPlan?
        var planDay: SalesforceTime.Day?
    }

    private var entries: [String: Entry] = [:]
    static let capacity = 512

    func query(for source: String) -> SOQLQuery? { entries[source]?.query }

    /// The plan of `source` made for `today`, if there is one.
    func plan(for source: String, today: SalesforceTime.Day) -> SOQLPlan? {
        guard let entry = entries[source], entry.planDay == today else { return nil }
        return entry.plan
    }

    mutating func store(_ query: SOQLQuery, for source: String) {
        if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
        entries[source] = Entry(query: query)
    }

    /// Keeps `plan` for `source`, whose parsed query is already stored.
    mutating func store(_ plan: SOQLPlan, madeFor today: SalesforceTime.Day, for source: String) {
        entries[source]?.plan = plan
        entries[source]?.planDay = today
    }
}

/// The rest of query results larger than one batch, kept for `nextRecordsUrl`.
struct QueryCursors: Sendable {
    struct Cursor: Sendable {
        var records: [RenderedRecord]
        var batchSize: Int
    }

    private var cursors: [String: Cursor] = [:]
    private var order: [String] = []
    private var counter = 0
    /// Older cursors are dropped beyond this many, as Salesforce expires locators.
    static let capacity = 64

    func cursor(_ locator: String) -> Cursor? { cursors[locator] }

    /// Stores `records` and returns a new locator such as `01gPa0000000001AAA`.
    mutating func add(records: [RenderedRecord], batchSize: Int) -> String {
        counter += 1
        var digits = String(counter)
        digits = String(repeating: "0", count: max(0, 10 - digits.count)) + digits
        let locator = "01gPa" + digits + "AAA"
        cursors[locator] = Cursor(records: records, batchSize: batchSize)
        order.append(locator)
        if order.count > Self.capacity { cursors[order.removeFirst()] = nil }
        return locator
    }

    mutating func removeAll() {
        cursors.removeAll()
        order.removeAll()
    }
}
