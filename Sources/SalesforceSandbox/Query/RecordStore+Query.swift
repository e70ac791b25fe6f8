import CivilTime
import ParleyJSON
import SalesforceWire
import Synchronization

/// A record already turned into JSON for a response.
typealias RenderedRecord = JSONValue

extension RecordStore {
    /// Runs a SOQL query; `queryAll` passes `includeDeleted`.
    ///
    /// - Parameters:
    ///   - batchSize: Records per page, 200...2000 (`Sforce-Query-Options: batchSize=n`).
    /// - Throws: `APIFailure` with Salesforce's query errors (`MALFORMED_QUERY`, `INVALID_FIELD`, `INVALID_TYPE`, ...).
    func query(_ source: String, includeDeleted: Bool, version: String, batchSize: Int = 2000) throws(APIFailure)
        -> QueryResult
    {
        let plan = try plan(for: source)
        let tables = state.withLock { state in
            // Built once under the lock; writes keep it current from then on.
            if let field = plan.indexableOrderField, state.tables[plan.schema.name]?.order(by: field) == nil {
                state.tables[plan.schema.name]?.prepareOrder(by: field)
            }
            return state.tables
        }
        let matched = plan.run(on: tables[plan.schema.name] ?? RecordTable(), tables: tables, includeDeleted: includeDeleted)
        guard plan.fields != nil else {
            return QueryResult(totalSize: matched.count, done: true, records: [])
        }
        let first = matched.prefix(batchSize).map { plan.render($0, tables: tables, version: version) }
        guard matched.count > batchSize else {
            return QueryResult(totalSize: matched.count, done: true, records: first)
        }
        let rest = matched.dropFirst(batchSize).map { plan.render($0, tables: tables, version: version) }
        let locator = cursors.withLock { $0.add(records: first + rest, batchSize: batchSize) }
        return QueryResult(
            totalSize: matched.count, done: false,
            nextRecordsUrl: "/services/data/v\(version)/query/\(locator)-\(batchSize)", records: first)
    }

    /// The plan of `source` for today, from the cache when the same text ran earlier today.
    private func plan(for source: String) throws(APIFailure) -> SOQLPlan {
        let today = SalesforceTime.Day(clock())
        if let cached = queryCache.withLock({ $0.plan(for: source, today: today) }) { return cached }
        let parsed: SOQLQuery
        if let cached = queryCache.withLock({ $0.query(for: source) }) {
            parsed = cached
        } else {
            parsed = try SOQLParser.parse(source)
            queryCache.withLock { $0.store(parsed, for: source) }
        }
        let plan = try SOQLPlan(parsed, source: source, today: today)
        queryCache.withLock { $0.store(plan, madeFor: today, for: source) }
        return plan
    }

    /// The page of an earlier query that `nextRecordsUrl`'s last component (`<locator>-<offset>`) names.
    func queryMore(_ locatorAndOffset: String, version: String) throws(APIFailure) -> QueryResult {
        let invalid = APIFailure(status: 400, code: ErrorCode(rawValue: "INVALID_QUERY_LOCATOR"), message: "invalid query locator")
        let parts = locatorAndOffset.split(separator: "-")
        guard parts.count == 2, let offset = Int(parts[1]), offset >= 0,
            let cursor = cursors.withLock({ $0.cursor(String(parts[0])) }), offset <= cursor.records.count
        else { throw invalid }
        let end = min(offset + cursor.batchSize, cursor.records.count)
        let page = Array(cursor.records[offset..<end])
        let done = end >= cursor.records.count
        return QueryResult(
            totalSize: cursor.records.count, done: done,
            nextRecordsUrl: done ? nil : "/services/data/v\(version)/query/\(parts[0])-\(end)", records: page)
    }
}
