import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// The serve benchmark's load generator: turns sent to `parley serve` over keep-alive HTTP/1.1 connections from one
/// event-loop thread, pipelined, each reply checked for its status and text.
///
/// It shares the processor with the server it measures, so it is kept lean: no task, pool or timeout per request,
/// replies matched to turns by their order on a connection (HTTP/1.1 answers pipelined requests in order). A
/// conversation's turns all go over one connection, each sent once the reply to the one before has come.
enum ServeLoad {
    /// Where the server listens and the bearer secret of a caller it knows.
    struct Server: Sendable {
        var host: String
        var port: Int
        var secret: String
    }

    /// What a user says, and text the reply must contain.
    struct Turn: Sendable {
        var text: String
        var reply: String
        /// The request body, made once for every conversation that says it.
        let body: ByteBuffer

        init(_ text: String, reply: String) {
            self.text = text
            self.reply = reply
            let json = try! JSONSerialization.data(withJSONObject: ["text": text])
            body = ByteBuffer(bytes: json)
        }
    }

    /// One user's turns, in order.
    struct Conversation: Sendable {
        var user: String
        var turns: [Turn]
        /// When each turn is due, from the start of the run; `nil` sends each turn as soon as the last reply came.
        var due: [TimeAmount]?
    }

    /// When a turn was due (or sent, without a due time) and how long its reply took from then, in ms, the first from
    /// the start of the run; and how late after that the load generator wrote it.
    struct Timing: Sendable {
        var start: Double
        var latency: Double
        var sendDelay: Double
    }

    /// Runs the conversations over `connections` connections, conversation `i` on connection `i % connections`, at most
    /// `activePerConnection` of a connection's conversations under way at once; returns the timing of every turn, its
    /// latency counted from when it was due, or from when it was sent when it has no due time.
    ///
    /// - Throws: `BenchFailure` when a reply is not 200 with its expected text, when the server closes a connection or
    ///   one fails, or when the run is not over within `limit`; the run never waits longer than that.
    static func run(
        _ conversations: [Conversation], on server: Server, connections: Int = 64, activePerConnection: Int = .max,
        limit: TimeAmount = .seconds(120)
    ) async throws -> [Timing] {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        var channels: [any Channel] = []
        do {
            for _ in 0..<connections {
                channels.append(try await connect(to: server, on: loop))
            }
        } catch {
            for channel in channels { channel.close(promise: nil) }
            throw BenchFailure("could not connect to parley serve on \(server.host):\(server.port): \(error)")
        }
        let promise = loop.makePromise(of: [ServeLoad.Timing].self)
        loop.execute {
            LoadRun(
                conversations, server: server, channels: channels, activePerConnection: activePerConnection, promise: promise
            ).start(limit: limit)
        }
        return try await promise.futureResult.get()
    }

    /// Whether the server answers `GET /readyz` with 200 now; `false` while it is not listening yet or not ready.
    static func isReady(_ server: Server) async -> Bool {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let status = loop.makePromise(of: HTTPResponseStatus.self)
        let connecting = ClientBootstrap(group: loop)
            .connectTimeout(.seconds(5))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(ReadinessHandler(host: server.host, status: status))
                }
            }
            .connect(host: server.host, port: server.port)
        do {
            let channel = try await connecting.get()
            let answer = loop.scheduleTask(in: .seconds(5)) { channel.close(promise: nil) }
            defer {
                answer.cancel()
                channel.close(promise: nil)
            }
            return try await status.futureResult.get() == .ok
        } catch {
            status.fail(error)
            return false
        }
    }

    private static func connect(to server: Server, on loop: any EventLoop) async throws -> any Channel {
        try await ClientBootstrap(group: loop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(5))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHTTPClientHandlers() }
            }
            .connect(host: server.host, port: server.port).get()
    }
}

/// One run of conversations, on its event loop only: what each conversation has said, the latencies so far, and
/// the end of the run (all answered, or the first failure).
private final class LoadRun {
    private let conversations: [ServeLoad.Conversation]
    private let server: ServeLoad.Server
    private let loop: any EventLoop
    private let activePerConnection: Int
    private let promise: EventLoopPromise<[ServeLoad.Timing]>
    private var connections: [TurnHandler] = []
    private let channels: [any Channel]
    /// Per conversation, the turn it is at.
    private var turnIndex: [Int]
    /// Per connection, the next of its conversations to start (conversation `c` goes over connection `c % count`).
    private var nextToStart: [Int]
    private var unfinished: Int
    private var timings: [ServeLoad.Timing] = []
    private var started = NIODeadline.now()
    private var timeLimit: Scheduled<Void>?
    private var isOver = false

    init(
        _ conversations: [ServeLoad.Conversation], server: ServeLoad.Server, channels: [any Channel], activePerConnection: Int,
        promise: EventLoopPromise<[ServeLoad.Timing]>
    ) {
        self.conversations = conversations
        self.server = server
        self.channels = channels
        self.loop = promise.futureResult.eventLoop
        self.activePerConnection = activePerConnection
        self.promise = promise
        turnIndex = Array(repeating: 0, count: conversations.count)
        nextToStart = Array(channels.indices)
        unfinished = conversations.count
        timings.reserveCapacity(conversations.reduce(0) { $0 + $1.turns.count })
    }

    func start(limit: TimeAmount) {
        do {
            for (index, channel) in channels.enumerated() {
                let handler = TurnHandler(run: self, connection: index)
                try channel.pipeline.syncOperations.addHandler(handler)
                connections.append(handler)
            }
        } catch {
            fail("could not set up a connection to parley serve: \(error)")
            return
        }
        timeLimit = loop.assumeIsolated().scheduleTask(in: limit) { [self] in
            fail("the load did not finish within \(limit.nanoseconds / 1_000_000_000) s (\(unfinished) conversations unfinished)")
        }
        started = .now()
        for connection in connections.indices {
            for _ in 0..<activePerConnection {
                guard startNext(on: connection) else { break }
            }
        }
        if unfinished == 0 { finish() }
    }

    /// Starts the connection's next conversation; `false` when it has none left.
    private func startNext(on connection: Int) -> Bool {
        let conversation = nextToStart[connection]
        guard conversation < conversations.count else { return false }
        nextToStart[connection] += connections.count
        if conversations[conversation].turns.isEmpty {
            unfinished -= 1
            return startNext(on: connection)
        }
        sendWhenDue(conversation)
        return true
    }

    private func sendWhenDue(_ conversation: Int) {
        guard let due = conversations[conversation].due?[turnIndex[conversation]] else {
            send(conversation, from: .now())
            return
        }
        let deadline = started + due
        if deadline > .now() {
            loop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in send(conversation, from: deadline) }
        } else {
            send(conversation, from: deadline)
        }
    }

    private func send(_ conversation: Int, from instant: NIODeadline) {
        guard !isOver else { return }
        let turn = conversations[conversation].turns[turnIndex[conversation]]
        var head = HTTPRequestHead(version: .http1_1, method: .POST, uri: "/v1/users/\(conversations[conversation].user)/messages")
        head.headers.add(name: "Host", value: server.host)
        head.headers.add(name: "Authorization", value: "Bearer \(server.secret)")
        head.headers.add(name: "Content-Type", value: "application/json")
        head.headers.add(name: "Content-Length", value: String(turn.body.readableBytes))
        connections[conversation % connections.count].send(head, body: turn.body, for: conversation, from: instant)
    }

    /// A reply came for the conversation's current turn, sent (or due) at `instant`.
    func replied(
        _ conversation: Int, from instant: NIODeadline, sent: NIODeadline, status: HTTPResponseStatus, body: ByteBuffer
    ) {
        guard !isOver else { return }
        let user = conversations[conversation].user
        let turn = conversations[conversation].turns[turnIndex[conversation]]
        guard status == .ok else {
            fail("'\(turn.text)' from \(user) was answered \(status.code): \(String(buffer: body))")
            return
        }
        guard String(buffer: body).contains(turn.reply) else {
            fail("'\(turn.text)' from \(user) was answered without '\(turn.reply)': \(String(buffer: body))")
            return
        }
        timings.append(
            ServeLoad.Timing(
                start: Double((instant - started).nanoseconds) / 1e6,
                latency: Double((NIODeadline.now() - instant).nanoseconds) / 1e6,
                sendDelay: Double((sent - instant).nanoseconds) / 1e6))
        turnIndex[conversation] += 1
        if turnIndex[conversation] < conversations[conversation].turns.count {
            sendWhenDue(conversation)
            return
        }
        unfinished -= 1
        _ = startNext(on: conversation % connections.count)
        if unfinished == 0 { finish() }
    }

    /// The server closed a connection, or it failed, before the run was over.
    func lost(connection: Int, unanswered: Int, error: (any Error)? = nil) {
        guard !isOver else { return }
        let cause = error.map { "failed (\($0))" } ?? "was closed by parley serve"
        fail("connection \(connection) \(cause) with \(unanswered) turns unanswered")
    }

    func fail(_ problem: String) {
        guard !isOver else { return }
        end()
        promise.fail(BenchFailure("serve: \(problem)"))
    }

    private func finish() {
        guard !isOver else { return }
        end()
        promise.succeed(timings)
    }

    private func end() {
        isOver = true
        timeLimit?.cancel()
        // The handlers hold the run; letting go of them here ends the cycle.
        connections = []
        for channel in channels { channel.close(promise: nil) }
    }
}

/// One connection's turns: writes requests, and hands each reply to the run with the turn it answers.
private final class TurnHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private let run: LoadRun
    private let connection: Int
    private var context: ChannelHandlerContext?
    /// The turns sent and not answered yet, oldest first: the order their replies come in.
    private var unanswered = CircularBuffer<(conversation: Int, instant: NIODeadline, sent: NIODeadline)>()
    private var status = HTTPResponseStatus.ok
    private var body = ByteBuffer()

    init(run: LoadRun, connection: Int) {
        self.run = run
        self.connection = connection
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func send(_ head: HTTPRequestHead, body: ByteBuffer, for conversation: Int, from instant: NIODeadline) {
        guard let context else {
            run.lost(connection: connection, unanswered: unanswered.count + 1)
            return
        }
        unanswered.append((conversation, instant, .now()))
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            status = head.status
            body.clear()
        case .body(var part):
            body.writeBuffer(&part)
        case .end:
            guard let turn = unanswered.popFirst() else {
                run.fail("connection \(connection) was sent a reply to no request")
                return
            }
            run.replied(turn.conversation, from: turn.instant, sent: turn.sent, status: status, body: body)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        run.lost(connection: connection, unanswered: unanswered.count)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        run.lost(connection: connection, unanswered: unanswered.count, error: error)
        context.close(promise: nil)
    }
}

/// Sends `GET /readyz` once the connection is up and reports the status of the answer.
private final class ReadinessHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private let host: String
    private let status: EventLoopPromise<HTTPResponseStatus>
    private var head: HTTPResponseHead?

    init(host: String, status: EventLoopPromise<HTTPResponseStatus>) {
        self.host = host
        self.status = status
    }

    func channelActive(context: ChannelHandlerContext) {
        var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/readyz")
        head.headers.add(name: "Host", value: host)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): self.head = head
        case .body: break
        case .end: status.succeed(head?.status ?? .internalServerError)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        status.fail(ChannelError.inputClosed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        status.fail(error)
        context.close(promise: nil)
    }
}
