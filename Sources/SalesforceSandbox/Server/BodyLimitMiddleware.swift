import Hummingbird
import SalesforceWire

/// Refuses request bodies over the configured size with `413 REQUEST_ENTITY_TOO_LARGE`, before any
/// route reads them; chunked bodies without a length are counted as they arrive.
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let maxBodySize: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let tooLarge = APIFailure(
            status: 413, code: .requestEntityTooLarge,
            message: "The request body exceeds the limit of \(maxBodySize) bytes")
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maxBodySize {
            throw tooLarge
        }
        guard request.headers[.contentLength] != nil || request.headers[.transferEncoding] != nil else {
            return try await next(request, context)
        }
        var request = request
        do {
            _ = try await request.collectBody(upTo: maxBodySize)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw tooLarge
        }
        return try await next(request, context)
    }
}
