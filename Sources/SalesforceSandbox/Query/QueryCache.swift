/// Parsed queries by their text, so repeated queries skip the parser; bounded, cleared when full.
struct QueryCache: Sendable {
    private var parsed: [String: SOQLQuery] = [:]
    static let capacity = 512

    func query(for source: String) -> SOQLQuery? { parsed[source] }

    mutating func store(_ query: SOQLQuery, for source: String) {
        if parsed.count >= Self.capacity { parsed.removeAll(keepingCapacity: true) }
        parsed[source] = query
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
