import ParleyJSON

/// One record as the store keeps it: canonical field names to values, every schema field present.
struct StoredRecord: Sendable {
    var id: String
    var type: String
    /// Creation order, which is also the order unsorted queries return.
    var sequence: Int
    var fields: [String: JSONValue]
    /// When the record was last written, on the data file's change counter; a copy never replaces a newer one.
    var revision = 0

    var isDeleted: Bool { fields["IsDeleted"] == .bool(true) }

    subscript(field: String) -> JSONValue {
        fields[field] ?? .null
    }
}

/// The records of one object type, in creation order, with an index by id and the orders queries asked for.
struct RecordTable: Sendable {
    private(set) var records: [StoredRecord] = []
    private var indexByID: [String: Int] = [:]
    /// Orders by field name, built when a query first sorts by the field and kept current by `upsert`.
    private var orderIndexes: [String: FieldOrderIndex] = [:]

    func record(id: String) -> StoredRecord? {
        indexByID[id].map { records[$0] }
    }

    /// The records ordered by `field`, when `prepareOrder(by:)` built that order.
    func order(by field: String) -> FieldOrderIndex? {
        orderIndexes[field]
    }

    /// Builds the order by `field` unless it exists; later upserts keep it current.
    mutating func prepareOrder(by field: String) {
        guard orderIndexes[field] == nil else { return }
        orderIndexes[field] = FieldOrderIndex(field: field, records: records)
    }

    mutating func upsert(_ record: StoredRecord) {
        let position: Int
        let old: StoredRecord?
        if let index = indexByID[record.id] {
            // Another process's change can be read after this process wrote a newer one.
            guard records[index].revision <= record.revision else { return }
            position = index
            old = records[index]
            records[index] = record
        } else {
            position = records.count
            old = nil
            indexByID[record.id] = position
            records.append(record)
        }
        for field in orderIndexes.keys {
            orderIndexes[field]?.update(position: position, from: old, to: record)
        }
    }

    mutating func removeAll() {
        records.removeAll()
        indexByID.removeAll()
        orderIndexes.removeAll()
    }
}
