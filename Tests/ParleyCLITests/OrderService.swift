import Foundation
import Hummingbird
import Logging
import ParleyJSON
import Synchronization

/// The small order service the example bot in `Examples/orders` calls, run in-process on a free port.
///
/// Orders ORD-1001 and ORD-1002 exist from the start; `POST /orders` adds one.
final class OrderService: Sendable {
    private let orders = Mutex<[String: JSONValue]>([
        "ORD-1001": ["id": "ORD-1001", "product": "Burr Grinder", "quantity": 1, "status": "shipped", "deliveryDate": "2026-03-05"],
        "ORD-1002": ["id": "ORD-1002", "product": "Espresso Beans", "quantity": 3, "status": "being packed"],
    ])
    private let counter = Mutex(1002)

    /// Runs the service while `body` runs; `body` gets its base URL.
    static func with<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        let service = OrderService()
        let router = Router()
        router.get("/orders/{id}") { _, context -> Response in
            let id = context.parameters.get("id") ?? ""
            guard let order = service.orders.withLock({ $0[id] }) else {
                return json(.notFound, ["error": "no such order"])
            }
            return json(.ok, order)
        }
        router.post("/orders") { request, _ -> Response in
            let data = try await request.body.collect(upTo: 64 * 1024)
            guard let order = try? JSONValue(parsing: Data(data.readableBytesView)),
                let product = order["product"]?.stringValue, let quantity = order["quantity"]?.numberValue
            else {
                return json(.badRequest, ["error": "product and quantity are required"])
            }
            let id = service.counter.withLock {
                $0 += 1
                return "ORD-\($0)"
            }
            var stored = order
            stored["id"] = .string(id)
            stored["status"] = "received"
            _ = (product, quantity)
            service.orders.withLock { $0[id] = stored }
            return json(.created, stored)
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let application = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: Logger(label: "order-service", factory: { _ in SwiftLogNoOpLogHandler() }))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await application.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw CancellationError() }
            defer { group.cancelAll() }
            return try await body("http://127.0.0.1:\(port)")
        }
    }

    private static func json(_ status: HTTPResponse.Status, _ value: JSONValue) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: value.jsonText())))
    }
}
