import ParleyJSON

/// One record as the store keeps it: canonical field names to values, every schema field present.
struct StoredRecord: Sendable {
    var id: String
    var type: String
    /// Creation order, which is also the order unsorted queries return.
    var sequence: Int
    var fields: [String: JSONValue]

    var isDeleted: Bool { fields["IsDeleted"] == .bool(true) }

    subscript(field: String) -> JSONValue {
        fields[field] ?? .null
    }
}

/// The records of one object type, in creation order, with an index by id.
struct RecordTable: Sendable {
    private(set) var records: [StoredRecord] = []
    private var indexByID: [String: Int] = [:]

    func record(id: String) -> StoredRecord? {
        indexByID[id].map { records[$0] }
    }

    mutating func upsert(_ record: StoredRecord) {
        if let index = indexByID[record.id] {
            records[index] = record
        } else {
            indexByID[record.id] = records.count
            records.append(record)
        }
    }

    mutating func removeAll() {
        records.removeAll()
        indexByID.removeAll()
    }
}
