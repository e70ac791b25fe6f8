import BotHost
import DialogRuntime
import Foundation
import HTTPTypes
import Hummingbird
import Integrations
import Logging
import NIOCore
import ParleyJSON

extension ChannelServer {
    /// The longest a long-poll waits for an event.
    static let longestWait = 30
    /// How often an event stream says it is alive when nothing happens.
    static let keepAlive = Duration.seconds(15)

    func router(callbacks: OAuthCallbackServer.Handlers) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.get("/healthz") { _, _ in Self.json(["status": "ok"]) }
        router.get("/readyz") { [self] _, _ in
            if bot == nil || signal.isShuttingDown { return Self.json(["status": "starting"], status: .serviceUnavailable) }
            do {
                try await store.checkReachable(within: .seconds(2))
                return Self.json(["status": "ready"])
            } catch {
                logger.warning("Not ready: the store cannot be reached", metadata: ["problem": "\(error)"])
                return Self.json(["status": "unavailable"], status: .serviceUnavailable)
            }
        }
        router.get("/metrics") { [self] _, _ in
            var pending: Int?
            do {
                pending = try await bot?.pendingAuthorizations()
            } catch {
                logger.warning("Pending authorizations could not be counted", metadata: ["problem": "\(error)"])
            }
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.exposition(pendingAuthorizations: pending))))
        }
        router.get("/") { _, _ in Response(status: .found, headers: [.location: "/chat"]) }
        router.get("/chat") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: WebChatPage.html)))
        }
        router.post("/v1/users/:user/messages") { [self] request, context in
            await answering { try await postMessage(request, context) }
        }
        router.get("/v1/users/:user/events") { [self] request, context in
            await answering { try await longPoll(request, context) }
        }
        router.post("/v1/users/:user/events/ack") { [self] request, context in
            await answering { try await acknowledge(request, context) }
        }
        router.get("/v1/users/:user/stream") { [self] request, context in
            await answering { try await stream(request, context) }
        }
        OAuthCallbackServer.addRoutes(to: router, handlers: callbacks)
        return router
    }

    // MARK: - Routes

    private func postMessage(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let (conversation, body) = try await authenticated(request, context)
        let bot = try readyBot()
        let json = try Self.object(body)
        guard let textValue = json["text"] else { throw APIError.invalidField("text", "is missing; send {\"text\": \"…\"}") }
        guard let text = textValue.stringValue else { throw APIError.invalidField("text", "must be a string") }
        guard !text.trimmingWhitespaceAndNewlines().isEmpty else {
            throw APIError.invalidField("text", "is empty; say something")
        }
        let key = request.headers[Self.idempotencyKey]
        if let key, key.isEmpty || key.utf8.count > 200 {
            throw APIError.invalidField("Idempotency-Key", "must be 1 to 200 characters")
        }
        if let seconds = limiter.take(for: conversation) { throw APIError.rateLimited(retryAfter: seconds) }
        switch try await turn(text, in: conversation, idempotencyKey: key, bot: bot) {
        case .reply(let reply, let replayed):
            var response = Self.json(reply)
            if replayed { response.headers[Self.idempotentReplayed] = "true" }
            return response
        case .interrupted:
            throw APIError(
                status: .conflict, code: "turn_interrupted",
                message: "a turn with this Idempotency-Key started and never finished (the server stopped); it is not run again")
        case .keyReused:
            throw APIError(
                status: .unprocessableContent, code: "idempotency_key_reused",
                message: "this Idempotency-Key was used for a different message; use a new key for a new message")
        }
    }

    private func longPoll(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let (conversation, _) = try await authenticated(request, context)
        let after = try Self.cursor(request)
        let wait = try Self.integer(request, "wait", default: 0, range: 0...Self.longestWait)
        let deadline = ContinuousClock.now + .seconds(wait)
        while true {
            let events = try await events(for: conversation, after: after)
            let now = ContinuousClock.now
            if !events.isEmpty || now >= deadline || signal.isShuttingDown {
                return Self.json(["events": .array(events)])
            }
            await signal.wait(for: conversation, timeout: now.duration(to: deadline))
        }
    }

    private func acknowledge(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let (conversation, body) = try await authenticated(request, context)
        let json = try Self.object(body)
        guard let upTo = json["upTo"]?.numberValue, upTo >= 0, upTo == upTo.rounded(), upTo < 9e15 else {
            throw APIError.invalidField("upTo", "must be the id of the last event received (a whole number, 0 or more)")
        }
        let count = try await store.acknowledge(upTo: Int64(upTo), for: conversation)
        return Self.json(["acknowledged": .number(Double(count))])
    }

    private func stream(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let (conversation, _) = try await authenticated(request, context)
        let start: Int64
        if let lastEventID = request.headers[Self.lastEventID] {
            guard let id = Int64(lastEventID), id >= 0 else {
                throw APIError.invalidField("Last-Event-ID", "must be the id of an event (a whole number, 0 or more)")
            }
            start = id
        } else {
            start = try Self.cursor(request)
        }
        let body = ResponseBody { [self] writer in
            var cursor = start
            try await writer.write(ByteBuffer(string: ": connected\n\n"))
            while !signal.isShuttingDown {
                let events = try await events(for: conversation, after: cursor)
                for event in events {
                    let id = Int64(event["id"]?.numberValue ?? 0)
                    try await writer.write(ByteBuffer(string: "id: \(id)\nevent: messages\ndata: \(event.jsonText())\n\n"))
                    cursor = max(cursor, id)
                }
                if events.isEmpty {
                    await signal.wait(for: conversation, timeout: Self.keepAlive)
                    // A comment line: proxies keep the connection, and a client that left is noticed here.
                    try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                }
            }
            try await writer.finish(nil)
        }
        return Response(
            status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"], body: body)
    }

    // MARK: - Requests

    /// The conversation a request may use: its caller proven, its user named validly, its body within the limit.
    private func authenticated(_ request: Request, _ context: BasicRequestContext) async throws -> (ConversationKey, [UInt8]) {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > options.maxBodyBytes {
            throw APIError.tooLarge(options.maxBodyBytes)
        }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: options.maxBodyBytes)
        } catch is NIOTooManyBytesError {
            throw APIError.tooLarge(options.maxBodyBytes)
        }
        let body = Array(buffer.readableBytesView)
        let headers = request.headers
        let header: (String) -> String? = { name in HTTPField.Name(name).flatMap { headers[$0] } }
        guard let caller = options.callers.authenticate(header: header, body: body, now: Date()) else {
            throw APIError(
                status: .unauthorized, code: "unauthenticated",
                message:
                    "send Authorization: Bearer <secret>, or sign the body with X-Parley-Caller, X-Parley-Timestamp and "
                    + "X-Parley-Signature",
                headers: [.wwwAuthenticate: "Bearer realm=\"parley\""])
        }
        guard let user = context.parameters.get("user"), UserName.isValid(user) else {
            throw APIError.invalidField("user", "must be 1 to 64 letters, digits, '.', '_', '-' or '@'")
        }
        return (ConversationKey(caller: caller, user: user), body)
    }

    private func readyBot() throws -> RunningBot {
        guard let bot, !signal.isShuttingDown else {
            throw APIError(
                status: .serviceUnavailable, code: "not_ready", message: "the bot is starting or stopping; try again shortly",
                headers: [.retryAfter: "1"])
        }
        return bot
    }

    /// Runs a route, answering its errors as JSON: the client's with what to fix, Parley's with a 500 that names
    /// no secret.
    private func answering(_ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch let error as APIError {
            var detail: [String: JSONValue] = ["code": .string(error.code), "message": .string(error.message)]
            if let field = error.field { detail["field"] = .string(field) }
            var response = Self.json(["error": .object(detail)], status: error.status)
            for field in error.headers { response.headers.append(field) }
            return response
        } catch {
            logger.error("A request failed", metadata: ["problem": "\(bot?.redacting("\(error)") ?? "\(type(of: error))")"])
            return Self.json(
                ["error": ["code": "internal", "message": "Parley could not complete the request; the server log says why"]],
                status: .internalServerError)
        }
    }

    private static func object(_ body: [UInt8]) throws -> JSONValue {
        let json: JSONValue
        do {
            json = try JSONValue(parsing: Data(body))
        } catch {
            throw APIError(status: .badRequest, code: "invalid_json", message: "the body is not JSON: \(error)")
        }
        guard case .object = json else {
            throw APIError(status: .badRequest, code: "invalid_json", message: "the body must be a JSON object")
        }
        return json
    }

    private static func cursor(_ request: Request) throws -> Int64 {
        guard let text = request.uri.queryParameters["after"] else { return 0 }
        guard let value = Int64(String(text)), value >= 0 else {
            throw APIError.invalidField("after", "must be the id of the last event received (a whole number, 0 or more)")
        }
        return value
    }

    private static func integer(_ request: Request, _ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = request.uri.queryParameters[Substring(name)] else { return value }
        guard let number = Int(String(text)), range.contains(number) else {
            throw APIError.invalidField(name, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: value.jsonText())))
    }

    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    static let idempotentReplayed = HTTPField.Name("Idempotent-Replayed")!
    static let lastEventID = HTTPField.Name("Last-Event-ID")!
}

/// A request the API refuses, with what to fix.
struct APIError: Error {
    var status: HTTPResponse.Status
    var code: String
    var message: String
    /// The request field that is wrong, when one is.
    var field: String?
    var headers: HTTPFields = [:]

    init(status: HTTPResponse.Status, code: String, message: String, field: String? = nil, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.headers = headers
    }

    static func invalidField(_ field: String, _ problem: String) -> APIError {
        APIError(status: .badRequest, code: "invalid_field", message: "\(field) \(problem)", field: field)
    }

    static func tooLarge(_ limit: Int) -> APIError {
        APIError(status: .contentTooLarge, code: "body_too_large", message: "the body is larger than \(limit) bytes")
    }

    static func rateLimited(retryAfter seconds: Int) -> APIError {
        APIError(
            status: .tooManyRequests, code: "rate_limited",
            message: "this conversation sends turns too fast; try again in \(seconds) s",
            headers: [.retryAfter: String(seconds)])
    }
}
