import CivilTime
import ParleyJSON
import SalesforceWire

/// A query checked against its object and ready to run over records.
struct SOQLPlan: Sendable {
    var schema: ObjectSchema
    /// `nil` for `COUNT()`.
    var fields: [ResolvedField]?
    var predicate: SOQLPredicate?
    var ordering: [(field: ResolvedField, descending: Bool, nullsFirst: Bool)]
    var limit: Int?
    var offset: Int
    /// `fields` as rendering reads them: the record's own fields by name, parent fields by path.
    private var columns: [Column] = []

    private enum Column: Sendable {
        case own(String)
        case parent(ResolvedField)
    }

    /// Resolves names and converts literals; date literals such as `TODAY` are fixed against `today`.
    ///
    /// - Throws: `APIFailure`: `INVALID_TYPE` for an unknown object, `INVALID_FIELD` for an unknown
    ///   field, `INVALID_QUERY_FILTER_OPERATOR` when a literal does not suit its field.
    init(_ query: SOQLQuery, source: String, today: SalesforceTime.Day) throws(APIFailure) {
        guard let schema = ObjectSchema.named(query.object.text) else {
            throw SOQLMessages.invalidType(source, at: query.object.position, query.object.text)
        }
        self.schema = schema
        switch query.selection {
        case .count:
            fields = nil
        case .fields(let paths):
            var resolved: [ResolvedField] = []
            var seen: Set<String> = []
            for path in paths {
                let field = try ResolvedField.resolve(path, on: schema, source: source)
                let key = field.outputPath.joined(separator: ".").lowercased()
                guard seen.insert(key).inserted else {
                    throw SOQLMessages.malformed(source, at: path.position, "duplicate field selected: \(path.text)")
                }
                resolved.append(field)
            }
            fields = resolved
            columns = resolved.map { $0.hops.isEmpty ? .own($0.field.name) : .parent($0) }
        }
        predicate = try query.condition.map { (condition) throws(APIFailure) -> SOQLPredicate in
            try Self.compile(condition, schema: schema, source: source, today: today)
        }
        ordering = try query.ordering.map { (item) throws(APIFailure) -> (ResolvedField, Bool, Bool) in
            let field = try ResolvedField.resolve(item.field, on: schema, source: source)
            return (field, item.descending, item.nullsFirst ?? !item.descending)
        }
        limit = query.limit
        offset = query.offset ?? 0
        if offset > 2000 {
            throw APIFailure(
                status: 400, code: ErrorCode(rawValue: "NUMBER_OUTSIDE_VALID_RANGE"),
                message: "Maximum SOQL offset allowed is 2000")
        }
    }

    /// The one plain field the query sorts by, which a `FieldOrderIndex` can serve.
    var indexableOrderField: String? {
        guard ordering.count == 1, let item = ordering.first, item.field.hops.isEmpty else { return nil }
        return item.field.field.name
    }

    /// The matching records of `table`, sorted, after OFFSET and LIMIT.
    ///
    /// Reads only as far as LIMIT needs when the records are unsorted or the table holds the order by
    /// `indexableOrderField`; otherwise sorts every match.
    func run(on table: RecordTable, tables: [String: RecordTable], includeDeleted: Bool) -> [StoredRecord] {
        if limit == 0 { return [] }
        var window = RowWindow(offset: offset, limit: limit)
        if ordering.isEmpty {
            for record in table.records where accepts(record, tables: tables, includeDeleted: includeDeleted) {
                guard window.add(record) else { break }
            }
            return window.rows
        }
        guard let field = indexableOrderField, let index = table.order(by: field), let item = ordering.first else {
            return run(over: table.records, tables: tables, includeDeleted: includeDeleted)
        }
        let records = table.records
        index.forEachPosition(descending: item.descending, nullsFirst: item.nullsFirst) { position in
            let record = records[position]
            guard accepts(record, tables: tables, includeDeleted: includeDeleted) else { return true }
            return window.add(record)
        }
        return window.rows
    }

    /// The matching records among `records`, sorted, after OFFSET and LIMIT.
    func run(over records: [StoredRecord], tables: [String: RecordTable], includeDeleted: Bool) -> [StoredRecord] {
        var matched = records.filter { accepts($0, tables: tables, includeDeleted: includeDeleted) }
        if !ordering.isEmpty {
            // Keys once per record, not once per comparison: folding text to lowercase is the costly part.
            let keyed = matched.map { record in
                (record, ordering.map { SortKey($0.field.value(in: record, tables: tables)) })
            }
            matched = keyed.sorted { left, right in
                for (position, item) in ordering.enumerated() {
                    switch (left.1[position], right.1[position]) {
                    case (nil, nil):
                        continue
                    // NULLS FIRST/LAST holds whatever the direction.
                    case (nil, _):
                        return item.nullsFirst
                    case (_, nil):
                        return !item.nullsFirst
                    case (let a?, let b?):
                        if a == b { continue }
                        return item.descending ? b < a : a < b
                    }
                }
                return left.0.sequence < right.0.sequence
            }.map(\.0)
        }
        let start = min(offset, matched.count)
        let end = limit.map { start + min($0, matched.count - start) } ?? matched.count
        return Array(matched[start..<end])
    }

    private func accepts(_ record: StoredRecord, tables: [String: RecordTable], includeDeleted: Bool) -> Bool {
        (includeDeleted || !record.isDeleted) && (predicate?.matches(record, tables: tables) ?? true)
    }

    /// The selected fields of `record` as JSON, with parent fields nested under their relationship.
    func render(_ record: StoredRecord, tables: [String: RecordTable], version: String) -> JSONValue {
        var object = [String: JSONValue](minimumCapacity: (fields?.count ?? 0) + 1)
        object["attributes"] = RecordStore.attributes(type: record.type, id: record.id, version: version)
        for column in columns {
            switch column {
            case .own(let name):
                object[name] = record[name]
            case .parent(let field):
                Self.place(field, from: record, depth: 0, into: &object, tables: tables, version: version)
            }
        }
        return .object(object)
    }

    private static func place(
        _ field: ResolvedField, from record: StoredRecord, depth: Int, into object: inout [String: JSONValue],
        tables: [String: RecordTable], version: String
    ) {
        guard depth < field.hops.count else {
            object[field.field.name] = record[field.field.name]
            return
        }
        let hop = field.hops[depth]
        let key = field.outputPath[depth]
        guard case .string(let id) = record[hop.reference.name], let parent = tables[hop.target.name]?.record(id: id)
        else {
            object[key] = .null
            return
        }
        var nested =
            object[key]?.objectValue ?? [
                "attributes": RecordStore.attributes(type: parent.type, id: parent.id, version: version)
            ]
        place(field, from: parent, depth: depth + 1, into: &nested, tables: tables, version: version)
        object[key] = .object(nested)
    }

    // MARK: Compiling conditions

    private static func compile(
        _ condition: SOQLQuery.Condition, schema: ObjectSchema, source: String, today: SalesforceTime.Day
    ) throws(APIFailure) -> SOQLPredicate {
        switch condition {
        case .and(let left, let right):
            return .and(
                try compile(left, schema: schema, source: source, today: today),
                try compile(right, schema: schema, source: source, today: today))
        case .or(let left, let right):
            return .or(
                try compile(left, schema: schema, source: source, today: today),
                try compile(right, schema: schema, source: source, today: today))
        case .not(let inner):
            return .not(try compile(inner, schema: schema, source: source, today: today))
        case .comparison(let path, let op, let literal):
            let field = try ResolvedField.resolve(path, on: schema, source: source)
            return .compare(field, op, try operand(literal, for: field.field, source: source, today: today))
        case .membership(let path, let negated, let literals):
            let field = try ResolvedField.resolve(path, on: schema, source: source)
            var operands: [SOQLPredicate.Operand] = []
            for literal in literals {
                operands.append(try operand(literal, for: field.field, source: source, today: today))
            }
            return .member(field, negated: negated, operands)
        case .like(let path, let literal):
            let field = try ResolvedField.resolve(path, on: schema, source: source)
            guard field.field.type.isText, field.field.type != .id, field.field.type != .reference else {
                throw SOQLMessages.filter(
                    source, at: path.position,
                    "invalid operator on \(field.field.type.soqlTypeName) field: \(path.text)")
            }
            guard case .string(let pattern) = literal.value else {
                throw SOQLMessages.filter(
                    source, at: literal.position,
                    "value of filter criterion for field '\(field.field.name)' must be of type string and should be enclosed in quotes")
            }
            return .like(field, LikePattern(pattern))
        case .datePart(let part, let path, let op, let literal):
            let field = try ResolvedField.resolve(path, on: schema, source: source)
            guard field.field.type == .date || field.field.type == .datetime else {
                throw SOQLMessages.filter(
                    source, at: path.position,
                    "\(part.rawValue) cannot be applied to \(field.field.type.soqlTypeName) field: \(path.text)")
            }
            guard case .number(let number) = literal.value, number == number.rounded(), abs(number) < 100_000 else {
                throw SOQLMessages.filter(
                    source, at: literal.position, "value of filter criterion for \(part.rawValue) must be a whole number")
            }
            return .datePart(field, part, op, Int(number))
        }
    }

    /// Converts a literal to the stored form of `field`, refusing kinds Salesforce refuses.
    private static func operand(
        _ literal: SOQLQuery.Literal, for field: FieldDefinition, source: String, today: SalesforceTime.Day
    ) throws(APIFailure) -> SOQLPredicate.Operand {
        func wrongKind() -> APIFailure {
            let quoted = field.type.isText
            return SOQLMessages.filter(
                source, at: literal.position,
                "value of filter criterion for field '\(field.name)' must be of type \(field.type.soqlTypeName) and should\(quoted ? "" : " not") be enclosed in quotes"
            )
        }
        if case .null = literal.value { return .null }
        switch field.type {
        case .id, .reference:
            guard case .string(let text) = literal.value else { throw wrongKind() }
            guard let id = RecordID(text) else {
                throw SOQLMessages.filter(source, at: literal.position, "invalid ID field: \(text)")
            }
            return .exact(id.value)
        case .string, .textarea, .email, .phone, .url, .picklist:
            guard case .string(let text) = literal.value else { throw wrongKind() }
            return .text(text.lowercased())
        case .int, .double, .currency, .percent:
            guard case .number(let number) = literal.value else { throw wrongKind() }
            return .number(number)
        case .boolean:
            guard case .boolean(let flag) = literal.value else { throw wrongKind() }
            return .boolean(flag)
        case .date, .datetime:
            let asDateTime = field.type == .datetime
            func text(_ day: SalesforceTime.Day) -> String {
                asDateTime ? SalesforceTime.dateTimeText(day.startDate) : day.isoText
            }
            switch literal.value {
            case .date(let day):
                return .range(text(day), text(day.adding(days: 1)))
            case .dateTime(let instantText):
                if asDateTime { return .exact(instantText) }
                return .exact(String(instantText.prefix(10)))
            case .relativeDate(let name, let count):
                let (lower, upper) = relativeRange(name, count ?? 0, today: today)
                return .range(text(lower), text(upper))
            default:
                throw wrongKind()
            }
        }
    }

    /// The days `[lower, upper)` a date literal covers; weeks start on Sunday, as in a US-locale org.
    static func relativeRange(_ name: String, _ count: Int, today: SalesforceTime.Day)
        -> (SalesforceTime.Day, SalesforceTime.Day)
    {
        let weekStart = today.startOfSundayWeek
        let monthStart = today.firstOfMonth
        let yearStart = today.firstOfYear
        let quarterStart = today.firstOfQuarter
        switch name {
        case "YESTERDAY": return (today.adding(days: -1), today)
        case "TOMORROW": return (today.adding(days: 1), today.adding(days: 2))
        case "THIS_WEEK": return (weekStart, weekStart.adding(days: 7))
        case "LAST_WEEK": return (weekStart.adding(days: -7), weekStart)
        case "NEXT_WEEK": return (weekStart.adding(days: 7), weekStart.adding(days: 14))
        case "THIS_MONTH": return (monthStart, monthStart.adding(months: 1))
        case "LAST_MONTH": return (monthStart.adding(months: -1), monthStart)
        case "NEXT_MONTH": return (monthStart.adding(months: 1), monthStart.adding(months: 2))
        case "THIS_QUARTER": return (quarterStart, quarterStart.adding(months: 3))
        case "LAST_QUARTER": return (quarterStart.adding(months: -3), quarterStart)
        case "NEXT_QUARTER": return (quarterStart.adding(months: 3), quarterStart.adding(months: 6))
        case "THIS_YEAR": return (yearStart, yearStart.adding(months: 12))
        case "LAST_YEAR": return (yearStart.adding(months: -12), yearStart)
        case "NEXT_YEAR": return (yearStart.adding(months: 12), yearStart.adding(months: 24))
        case "LAST_90_DAYS": return (today.adding(days: -90), today.adding(days: 1))
        case "NEXT_90_DAYS": return (today.adding(days: 1), today.adding(days: 91))
        case "LAST_N_DAYS": return (today.adding(days: -count), today.adding(days: 1))
        case "NEXT_N_DAYS": return (today.adding(days: 1), today.adding(days: 1 + count))
        case "N_DAYS_AGO": return (today.adding(days: -count), today.adding(days: -count + 1))
        case "LAST_N_WEEKS": return (weekStart.adding(days: -7 * count), weekStart)
        case "NEXT_N_WEEKS": return (weekStart.adding(days: 7), weekStart.adding(days: 7 + 7 * count))
        case "LAST_N_MONTHS": return (monthStart.adding(months: -count), monthStart)
        case "NEXT_N_MONTHS": return (monthStart.adding(months: 1), monthStart.adding(months: 1 + count))
        case "LAST_N_QUARTERS": return (quarterStart.adding(months: -3 * count), quarterStart)
        case "NEXT_N_QUARTERS": return (quarterStart.adding(months: 3), quarterStart.adding(months: 3 + 3 * count))
        default: return (today, today.adding(days: 1))
        }
    }
}
