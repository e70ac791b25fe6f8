import Foundation
import SalesforceAPI
import SalesforceSandbox

/// The Salesforce client's transport for an in-process sandbox: every request goes to the sandbox itself.
///
/// A URL elsewhere fails as a connection error would, since a bot run in memory reaches nothing outside.
struct SandboxTransport: HTTPTransport {
    let sandbox: Sandbox

    func execute(_ request: TransportRequest, timeout: Duration) async throws -> RawResponse {
        let response: InProcessResponse
        do {
            response = try await sandbox.respond(
                to: InProcessRequest(
                    method: request.method.rawValue, url: request.url.absoluteString,
                    headers: request.headers.map { ($0.key, $0.value) }, body: request.body ?? Data()))
        } catch InProcessExchangeError.notSandboxURL(let url) {
            throw SalesforceError.connection("\(url) is out of reach: a transcript reaches only its own sandbox")
        } catch let error as InProcessExchangeError {
            throw SalesforceError.connection("\(error)")
        }
        return RawResponse(status: response.status, headerFields: response.headers, body: response.body)
    }
}
