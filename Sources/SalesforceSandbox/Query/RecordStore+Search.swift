import CivilTime
import ParleyJSON
import SalesforceWire
import Synchronization

extension RecordStore {
    /// Runs a parsed SOSL search and returns the matching records, object by object.
    ///
    /// - Throws: `APIFailure` for unknown objects or fields in `RETURNING`.
    func search(_ search: SOSLSearch, version: String) throws(APIFailure) -> [JSONValue] {
        let specs =
            search.objects.isEmpty
            ? SOSLSearch.defaultObjects.map {
                SOSLSearch.ObjectSpec(name: SOQLQuery.Name(text: $0, position: SourcePosition(row: 1, column: 1)))
            }
            : search.objects
        let today = SalesforceTime.Day(clock())
        let tables = state.withLock { $0.tables }
        var results: [JSONValue] = []
        for spec in specs {
            let fields = spec.fields.isEmpty ? [SOQLQuery.FieldPath(parts: ["Id"], position: spec.name.position)] : spec.fields
            let query = SOQLQuery(
                selection: .fields(fields), object: spec.name, condition: spec.condition, ordering: spec.ordering,
                limit: spec.limit)
            let plan = try SOQLPlan(query, source: search.source, today: today)
            let searched = plan.schema.fields.filter { $0.isSearched(in: search.group) }.map(\.name)
            let phones = plan.schema.fields.filter { $0.type == .phone }.map(\.name)
            let candidates = (tables[plan.schema.name]?.records ?? []).filter { record in
                guard !record.isDeleted else { return false }
                let texts = searched.lazy.compactMap { record.fields[$0]?.stringValue }
                return search.term.matches(texts) {
                    search.group == .all || search.group == .phone
                        ? phones.compactMap { record.fields[$0]?.stringValue?.filter { $0.isASCII && $0.isNumber } } : []
                }
            }
            for record in plan.run(over: candidates, tables: tables, includeDeleted: false) {
                if let overall = search.overallLimit, results.count >= overall { return results }
                results.append(plan.render(record, tables: tables, version: version))
            }
        }
        return results
    }
}
