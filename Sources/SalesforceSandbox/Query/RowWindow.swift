/// The rows a query returns: matches after the first OFFSET, until LIMIT of them.
struct RowWindow {
    private var toSkip: Int
    private let limit: Int?
    private(set) var rows: [StoredRecord] = []

    init(offset: Int, limit: Int?) {
        toSkip = offset
        self.limit = limit
        if let limit { rows.reserveCapacity(min(limit, 2000)) }
    }

    /// Takes `record` as the next match; `false` once LIMIT rows are in, so the caller can stop reading.
    mutating func add(_ record: StoredRecord) -> Bool {
        if toSkip > 0 {
            toSkip -= 1
        } else {
            rows.append(record)
        }
        return limit.map { rows.count < $0 } ?? true
    }
}
