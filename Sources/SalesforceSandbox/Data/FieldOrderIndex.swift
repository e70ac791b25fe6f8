/// The positions of one table's records ordered by one field, so ORDER BY with LIMIT reads only the
/// first rows instead of sorting the table.
///
/// Records with equal keys stay in position (creation) order, whatever the direction, as a full sort
/// with creation order as the last tie-breaker returns them.
struct FieldOrderIndex: Sendable {
    let field: String
    /// Non-null keys with their record positions, ascending by key and then position.
    private var entries: [(key: SortKey, position: Int)] = []
    /// Positions of records whose field is null, ascending.
    private var nullPositions: [Int] = []

    /// Indexes `records` by `field`.
    init(field: String, records: [StoredRecord]) {
        self.field = field
        for (position, record) in records.enumerated() {
            if let key = SortKey(record[field]) {
                entries.append((key, position))
            } else {
                nullPositions.append(position)
            }
        }
        entries.sort { Self.precedes($0, $1) }
    }

    /// Records the record at `position`, newly added (`old` is `nil`) or changed from `old`.
    mutating func update(position: Int, from old: StoredRecord?, to new: StoredRecord) {
        let oldKey = old.flatMap { SortKey($0[field]) }
        let newKey = SortKey(new[field])
        if old != nil, oldKey == newKey { return }
        if old != nil {
            if let oldKey {
                let index = insertionPoint(of: (oldKey, position))
                if index < entries.count, entries[index].position == position { entries.remove(at: index) }
            } else if let index = nullPositions.firstIndex(of: position) {
                nullPositions.remove(at: index)
            }
        }
        if let newKey {
            entries.insert((newKey, position), at: insertionPoint(of: (newKey, position)))
        } else {
            if let last = nullPositions.last, last > position {
                nullPositions.insert(position, at: nullPositions.firstIndex { $0 > position } ?? nullPositions.endIndex)
            } else {
                nullPositions.append(position)
            }
        }
    }

    /// Calls `body` with record positions in ORDER BY order until it returns `false`.
    func forEachPosition(descending: Bool, nullsFirst: Bool, _ body: (Int) -> Bool) {
        if nullsFirst {
            for position in nullPositions where !body(position) { return }
        }
        guard forEachKeyed(descending: descending, body) else { return }
        if !nullsFirst {
            for position in nullPositions where !body(position) { return }
        }
    }

    /// Non-null entries in key order; `false` when `body` stopped the walk.
    private func forEachKeyed(descending: Bool, _ body: (Int) -> Bool) -> Bool {
        guard descending else {
            for entry in entries where !body(entry.position) { return false }
            return true
        }
        // Walk runs of equal keys from the highest down, each run forward, so ties keep creation order.
        var end = entries.count
        while end > 0 {
            var start = end - 1
            while start > 0, entries[start - 1].key == entries[end - 1].key { start -= 1 }
            for index in start..<end where !body(entries[index].position) { return false }
            end = start
        }
        return true
    }

    /// The first index whose entry does not precede `entry`: where `entry` is, or where it belongs.
    private func insertionPoint(of entry: (key: SortKey, position: Int)) -> Int {
        // New records usually sort last (creation dates, ascending names aside), so check the end first.
        if let last = entries.last, Self.precedes(last, entry) { return entries.count }
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if Self.precedes(entries[middle], entry) { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private static func precedes(_ a: (key: SortKey, position: Int), _ b: (key: SortKey, position: Int)) -> Bool {
        a.key != b.key ? a.key < b.key : a.position < b.position
    }
}
