import Foundation
import HTTPTypes
import Hummingbird
import ParleyJSON
import SalesforceWire

/// Registers the REST data API under `/services/data/`: versions, resources, sobjects, CRUD,
/// describe, query, queryAll, search and parameterizedSearch.
///
/// - Parameters:
///   - authenticate: Turns a request's Bearer token into its user; throws `APIFailure`
///     (401 `INVALID_SESSION_ID`, ...) that the routes send as Salesforce's error array.
func addDataRoutes(
    to router: Router<BasicRequestContext>, store: RecordStore,
    authenticate: @escaping @Sendable (Request) async throws -> SandboxUser
) {
    let routes = DataRoutes(store: store, authenticate: authenticate)
    router.get("/services/data") { _, _ in DataRoutes.json(DataRoutes.versionList) }
    let version = "/services/data/{version}"
    router.get("\(version)") { request, context in
        await routes.respond(request, context) { version, _ in DataRoutes.json(DataRoutes.resources(version: version)) }
    }
    router.get("\(version)/sobjects") { request, context in
        await routes.respond(request, context) { version, _ in DataRoutes.json(DataRoutes.describeGlobal(version: version)) }
    }
    router.get("\(version)/sobjects/{type}") { request, context in
        await routes.respond(request, context) { version, _ in
            try routes.objectInfo(type: context.parameters.get("type") ?? "", version: version)
        }
    }
    router.post("\(version)/sobjects/{type}") { request, context in
        await routes.respond(request, context) { _, user in
            try await routes.create(type: context.parameters.get("type") ?? "", request: request, user: user)
        }
    }
    router.get("\(version)/sobjects/{type}/describe") { request, context in
        await routes.respond(request, context) { version, _ in
            try routes.describe(type: context.parameters.get("type") ?? "", version: version)
        }
    }
    router.get("\(version)/sobjects/{type}/{id}") { request, context in
        await routes.respond(request, context) { version, _ in
            let type = context.parameters.get("type") ?? ""
            let id = context.parameters.get("id") ?? ""
            if id == "describe" { return try routes.describe(type: type, version: version) }
            let fields = QueryString(request.uri.query)["fields"].map { (text: String) -> [String] in
                text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            }
            return DataRoutes.json(try store.retrieve(type: type, id: id, fields: fields, version: version))
        }
    }
    router.patch("\(version)/sobjects/{type}/{id}") { request, context in
        await routes.respond(request, context) { _, user in
            try await routes.update(context: context, request: request, user: user)
        }
    }
    router.post("\(version)/sobjects/{type}/{id}") { request, context in
        await routes.respond(request, context) { _, user in
            // Clients that cannot send PATCH use POST with `?_HttpMethod=PATCH`.
            guard QueryString(request.uri.query)["_HttpMethod"]?.uppercased() == "PATCH" else {
                throw DataRoutes.methodNotAllowed(request)
            }
            return try await routes.update(context: context, request: request, user: user)
        }
    }
    router.delete("\(version)/sobjects/{type}/{id}") { request, context in
        await routes.respond(request, context) { _, user in
            try await store.delete(
                type: context.parameters.get("type") ?? "", id: context.parameters.get("id") ?? "", as: user)
            return Response(status: .noContent)
        }
    }
    for (path, includeDeleted) in [("query", false), ("queryAll", true)] {
        router.get("\(version)/\(path)") { request, context in
            await routes.respond(request, context) { version, _ in
                try routes.query(request: request, version: version, includeDeleted: includeDeleted)
            }
        }
        router.get("\(version)/\(path)/{locator}") { request, context in
            await routes.respond(request, context) { version, _ in
                DataRoutes.json(
                    try store.queryMore(context.parameters.get("locator") ?? "", version: version).jsonValue)
            }
        }
    }
    router.get("\(version)/search") { request, context in
        await routes.respond(request, context) { version, _ in try routes.search(request: request, version: version) }
    }
    router.get("\(version)/parameterizedSearch") { request, context in
        await routes.respond(request, context) { version, _ in
            try routes.parameterizedSearch(QueryString(request.uri.query), version: version)
        }
    }
    router.post("\(version)/parameterizedSearch") { request, context in
        await routes.respond(request, context) { version, _ in
            let body = try await routes.jsonBody(request)
            return try routes.parameterizedSearch(body, version: version)
        }
    }
}

/// The handlers behind `addDataRoutes`.
struct DataRoutes: Sendable {
    let store: RecordStore
    let authenticate: @Sendable (Request) async throws -> SandboxUser
    /// Larger bodies are refused before parsing.
    static let maximumBodySize = 8 * 1024 * 1024

    /// Checks the version and the session, runs `work`, and turns `APIFailure` into Salesforce's error array.
    func respond(
        _ request: Request, _ context: BasicRequestContext,
        _ work: (_ version: String, _ user: SandboxUser) async throws -> Response
    ) async -> Response {
        do {
            let component = context.parameters.get("version") ?? String(request.uri.path.split(separator: "/").dropFirst(2).first ?? "")
            let version: String
            switch SandboxAPIVersions.resolve(component) {
            case .served(let served): version = served
            case .retired:
                throw APIFailure(
                    status: 410, code: ErrorCode(rawValue: "UNSUPPORTED_API_VERSION"),
                    message:
                        "Version \(component.dropFirst()) of the API is no longer supported. Use a version from \(SandboxAPIVersions.oldest).0 to \(SandboxAPIVersions.newest).0."
                )
            case .unknown:
                throw APIFailure(status: 404, code: .notFound, message: "The requested resource does not exist")
            }
            let user = try await authenticate(request)
            // Another process serving the same data file may have written since this one last looked.
            try store.synchronize()
            return try await work(version, user)
        } catch let failure as APIFailure {
            return Self.failure(failure)
        } catch {
            return Self.failure(
                APIFailure(status: 500, code: .unknownException, message: "An unexpected error occurred. Please try again."))
        }
    }

    // MARK: Resources

    static var versionList: JSONValue {
        .array(SandboxAPIVersions.all.map { ["label": .string($0.label), "url": .string($0.url), "version": .string($0.version)] })
    }

    static func resources(version: String) -> JSONValue {
        let base = "/services/data/v\(version)"
        var object: [String: JSONValue] = [:]
        for name in ["sobjects", "query", "queryAll", "search"] { object[name] = .string("\(base)/\(name)") }
        if let major = Double(version), major >= 36 { object["parameterizedSearch"] = .string("\(base)/parameterizedSearch") }
        return .object(object)
    }

    static func describeGlobal(version: String) -> JSONValue {
        [
            "encoding": "UTF-8", "maxBatchSize": 200,
            "sobjects": .array(ObjectSchema.ordered.map { .object($0.summary(version: version)) }),
        ]
    }

    func objectInfo(type: String, version: String) throws -> Response {
        let schema = try Self.schema(type)
        let recent = store.records(ofType: schema.name).suffix(5).reversed().map { record -> JSONValue in
            var object: [String: JSONValue] = ["Id": record["Id"] ?? .null, "attributes": record["attributes"] ?? .null]
            object["Name"] = record["Name"] ?? .null
            return .object(object)
        }
        return Self.json(["objectDescribe": .object(schema.summary(version: version)), "recentItems": .array(Array(recent))])
    }

    func describe(type: String, version: String) throws -> Response {
        Self.json(try Self.schema(type).describe(version: version))
    }

    private static func schema(_ type: String) throws(APIFailure) -> ObjectSchema {
        guard let schema = ObjectSchema.named(type) else {
            throw APIFailure(status: 404, code: .notFound, message: "The requested resource does not exist")
        }
        return schema
    }

    // MARK: Writes

    func create(type: String, request: Request, user: SandboxUser) async throws -> Response {
        _ = try store.writableSchema(type)
        let body = try await jsonBody(request)
        let id = try await store.create(type: type, body: body, as: user)
        let result = CreateResult(id: id)
        return Self.json(
            ["id": .string(result.id), "success": .bool(result.success), "errors": []], status: .created)
    }

    func update(context: BasicRequestContext, request: Request, user: SandboxUser) async throws -> Response {
        let type = context.parameters.get("type") ?? ""
        let id = context.parameters.get("id") ?? ""
        let schema = try store.writableSchema(type)
        _ = try store.resolve(id: id, schema: schema)
        let body = try await jsonBody(request)
        try await store.update(type: type, id: id, body: body, as: user)
        return Response(status: .noContent)
    }

    /// The request body as JSON, or `JSON_PARSER_ERROR` with the line and column where it went wrong.
    func jsonBody(_ request: Request) async throws(APIFailure) -> JSONValue {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: Self.maximumBodySize)
        } catch {
            throw APIFailure(
                status: 413, code: .requestEntityTooLarge,
                message: "The request body is larger than \(Self.maximumBodySize) bytes.")
        }
        let bytes = buffer.getBytes(at: buffer.readerIndex, length: buffer.readableBytes) ?? []
        guard bytes.contains(where: { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }) else {
            throw APIFailure(
                status: 400, code: .jsonParserError,
                message: "The HTTP entity body is required, but this request has no entity body.")
        }
        do {
            return try JSONValue(parsing: Data(bytes))
        } catch let error as JSONValue.ParseError {
            let consumed = bytes.prefix(min(error.offset, bytes.count))
            let line = consumed.filter { $0 == 0x0A }.count + 1
            let column = consumed.count - (consumed.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0) + 1
            let reason = error.message.components(separatedBy: " at byte ").first ?? error.message
            throw APIFailure(
                status: 400, code: .jsonParserError, message: "\(reason) at [line:\(line), column:\(column)]")
        } catch {
            throw APIFailure(status: 400, code: .jsonParserError, message: "The request body is not valid JSON.")
        }
    }

    // MARK: Query and search

    func query(request: Request, version: String, includeDeleted: Bool) throws -> Response {
        let parameters = QueryString(request.uri.query)
        // Stops at the first visible character instead of copying the trimmed query.
        guard let text = parameters["q"], text.unicodeScalars.contains(where: { !CharacterSet.whitespacesAndNewlines.contains($0) })
        else {
            throw APIFailure(status: 400, code: .malformedQuery, message: "A query string has to be specified")
        }
        var batchSize = 2000
        if let options = request.headers[HTTPField.Name("Sforce-Query-Options")!] {
            for option in options.split(separator: ",") {
                let pair = option.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if pair.count == 2, pair[0].lowercased() == "batchsize", let size = Int(pair[1]) {
                    batchSize = min(max(size, 200), 2000)
                }
            }
        }
        let result = try store.query(text, includeDeleted: includeDeleted, version: version, batchSize: batchSize)
        return Self.json(result.jsonValue)
    }

    func search(request: Request, version: String) throws -> Response {
        guard let text = QueryString(request.uri.query)["q"], !text.isEmpty else {
            throw APIFailure(
                status: 400, code: .malformedSearch, message: "No search term found. The search term must be enclosed in braces.")
        }
        let records = try store.search(SOSLSearch.parse(text), version: version)
        return Self.searchResponse(records, version: version)
    }

    /// GET form: `q`, `sobject`, `<Object>.fields`, `<Object>.limit`, `in`, `fields`, `overallLimit`, `defaultLimit`.
    func parameterizedSearch(_ parameters: QueryString, version: String) throws -> Response {
        guard let term = parameters["q"], !term.isEmpty else {
            throw APIFailure(status: 400, code: .malformedSearch, message: "Missing required parameter: q")
        }
        let defaultFields = parameters["fields"].map(Self.fieldList) ?? []
        let defaultLimit = try parameters["defaultLimit"].map { try Self.count($0, "defaultLimit") }
        var objects: [(String, [String], Int?)] = []
        for name in parameters.all("sobject") {
            let fields = parameters.value(caseInsensitive: "\(name).fields").map(Self.fieldList) ?? defaultFields
            let limit = try parameters.value(caseInsensitive: "\(name).limit").map { try Self.count($0, "\(name).limit") }
            objects.append((name, fields, limit ?? defaultLimit))
        }
        return try runParameterizedSearch(
            term: term, group: parameters["in"], objects: objects, defaultFields: defaultFields,
            defaultLimit: defaultLimit, overallLimit: try parameters["overallLimit"].map { try Self.count($0, "overallLimit") },
            version: version)
    }

    /// POST form: `{"q": …, "in": …, "fields": […], "sobjects": [{"name", "fields", "limit"}], "overallLimit", "defaultLimit"}`.
    func parameterizedSearch(_ body: JSONValue, version: String) throws -> Response {
        guard let term = body["q"]?.stringValue, !term.isEmpty else {
            throw APIFailure(status: 400, code: .malformedSearch, message: "Missing required parameter: q")
        }
        let defaultFields = body["fields"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let defaultLimit = body["defaultLimit"].flatMap(Self.count)
        var objects: [(String, [String], Int?)] = []
        for entry in body["sobjects"]?.arrayValue ?? [] {
            guard let name = entry["name"]?.stringValue else { continue }
            let fields = entry["fields"]?.arrayValue?.compactMap(\.stringValue) ?? defaultFields
            objects.append((name, fields, entry["limit"].flatMap(Self.count) ?? defaultLimit))
        }
        return try runParameterizedSearch(
            term: term, group: body["in"]?.stringValue, objects: objects, defaultFields: defaultFields,
            defaultLimit: defaultLimit, overallLimit: body["overallLimit"].flatMap(Self.count), version: version)
    }

    private func runParameterizedSearch(
        term: String, group: String?, objects: [(String, [String], Int?)], defaultFields: [String], defaultLimit: Int?,
        overallLimit: Int?, version: String
    ) throws -> Response {
        var search = SOSLSearch(term: try SearchTerm(term))
        if let group {
            guard let parsed = SearchGroup(rawValue: group.uppercased()) else {
                throw APIFailure(status: 400, code: .malformedSearch, message: "Invalid value for parameter 'in': \(group)")
            }
            search.group = parsed
        }
        let origin = SourcePosition(row: 1, column: 1)
        let names = objects.isEmpty ? SOSLSearch.defaultObjects.map { ($0, defaultFields, defaultLimit) } : objects
        search.objects = names.map { name, fields, limit in
            SOSLSearch.ObjectSpec(
                name: SOQLQuery.Name(text: name, position: origin),
                fields: fields.map { SOQLQuery.FieldPath(parts: $0.split(separator: ".").map(String.init), position: origin) },
                limit: limit)
        }
        search.overallLimit = overallLimit
        search.source = term
        return Self.searchResponse(try store.search(search, version: version), version: version)
    }

    /// A limit from a JSON body: a whole, non-negative number that fits, otherwise ignored.
    private static func count(_ value: JSONValue) -> Int? {
        guard let number = value.numberValue, number >= 0, number <= 1_000_000 else { return nil }
        return Int(exactly: number.rounded(.down))
    }

    private static func fieldList(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    private static func count(_ text: String, _ name: String) throws(APIFailure) -> Int {
        guard let value = Int(text), value >= 0 else {
            throw APIFailure(status: 400, code: .malformedSearch, message: "Invalid value for parameter '\(name)': \(text)")
        }
        return value
    }

    /// `{"searchRecords": […]}` from 36.0 on, a bare array before.
    private static func searchResponse(_ records: [JSONValue], version: String) -> Response {
        if let major = Double(version), major < 36 { return json(.array(records)) }
        return json(.object(["searchRecords": .array(records)]))
    }

    // MARK: Responses

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json;charset=UTF-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: value.jsonText())))
    }

    static func failure(_ failure: APIFailure) -> Response {
        let items: [JSONValue] = failure.errors.map { item in
            var object: [String: JSONValue] = ["message": .string(item.message), "errorCode": .string(item.errorCode)]
            if let fields = item.fields { object["fields"] = .array(fields.map { .string($0) }) }
            return .object(object)
        }
        return json(.array(items), status: HTTPResponse.Status(code: failure.status))
    }

    static func methodNotAllowed(_ request: Request) -> APIFailure {
        APIFailure(
            status: 405, code: .methodNotAllowed,
            message: "HTTP Method '\(request.method.rawValue)' not allowed. Allowed are GET,PATCH,DELETE")
    }
}

extension QueryResult {
    /// The page as JSON; `nextRecordsUrl` only while more pages remain.
    var jsonValue: JSONValue {
        var object: [String: JSONValue] = [
            "totalSize": .number(Double(totalSize)), "done": .bool(done), "records": .array(records),
        ]
        if let nextRecordsUrl { object["nextRecordsUrl"] = .string(nextRecordsUrl) }
        return .object(object)
    }
}
