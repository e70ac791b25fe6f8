import Hummingbird
import Logging
import SalesforceWire

/// Turns errors thrown by any route into the bodies Salesforce sends: the REST error array for
/// `APIFailure` and framework errors (404, 405, 413...), the OAuth body for `OAuthErrorBody`,
/// and `500 UNKNOWN_EXCEPTION` for bugs, which are logged.
struct ErrorRenderingMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let failure as APIFailure {
            return SandboxResponse.failure(failure)
        } catch let error as OAuthErrorBody {
            return SandboxResponse.oauthError(error)
        } catch let error as any HTTPResponseError {
            return SandboxResponse.failure(Self.failure(status: error.status, request: request))
        } catch {
            logger.error(
                "Sandbox request failed", metadata: ["path": .string(request.uri.path), "error": .string("\(error)")])
            return SandboxResponse.failure(
                APIFailure(
                    status: 500, code: .unknownException,
                    message: "An unexpected error occurred. Please include this ErrorId if you contact support: sandbox"))
        }
    }

    /// Salesforce's words for the framework's own refusals.
    static func failure(status: HTTPResponse.Status, request: Request) -> APIFailure {
        switch status {
        case .notFound:
            return APIFailure(status: 404, code: .notFound, message: "The requested resource does not exist")
        case .methodNotAllowed:
            return APIFailure(
                status: 405, code: .methodNotAllowed,
                message: "HTTP Method '\(request.method.rawValue)' not allowed. Allowed are GET,HEAD,POST,PATCH,DELETE")
        case .contentTooLarge:
            return APIFailure(
                status: 413, code: .requestEntityTooLarge, message: "The request body is larger than the sandbox accepts")
        default:
            return APIFailure(status: status.code, code: .unknownException, message: status.reasonPhrase)
        }
    }
}
