public import AsyncHTTPClient
public import DialogRuntime
import Foundation
import NIOCore
import NIOHTTP1

extension HTTPService {
    /// Service nodes without an integration: plain HTTP over AsyncHTTPClient, each request with its node's timeout.
    ///
    /// Timeouts become `ServiceCallError.timeout`; refused connections, DNS failures and broken connections
    /// become `.connection` saying why. Any HTTP status is a response, not an error.
    /// - Parameters:
    ///   - client: owned by the caller, who shuts it down after the last request.
    ///   - maximumBodySize: larger response bodies are refused rather than buffered.
    public static func asyncHTTPClient(_ client: HTTPClient, maximumBodySize: Int = 8 * 1024 * 1024) -> HTTPService {
        HTTPService { (request: ServiceRequest) async throws(ServiceCallError) -> ServiceResponse in
            var outgoing = HTTPClientRequest(url: request.url)
            outgoing.method = HTTPMethod(rawValue: request.method.uppercased())
            for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
            if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
            let timeout = TimeAmount.nanoseconds(Int64(request.timeout / .nanoseconds(1)))
            do {
                let response = try await client.execute(outgoing, deadline: .now() + timeout)
                let body = try await response.body.collect(upTo: maximumBodySize)
                return ServiceResponse(
                    statusCode: Int(response.status.code),
                    headers: response.headers.map { ServiceRequest.Header($0.name, $0.value) },
                    body: Data(body.readableBytesView))
            } catch let error as HTTPClientError {
                switch error {
                case .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout:
                    throw .timeout
                case .invalidURL, .emptyHost, .emptyScheme:
                    throw .connection("'\(request.url)' is not a URL that can be requested")
                default:
                    throw .connection("\(request.method) \(request.url) failed: \(error)")
                }
            } catch is NIOTooManyBytesError {
                throw .connection("the response to \(request.method) \(request.url) is larger than \(maximumBodySize) bytes")
            } catch {
                throw .connection("\(request.method) \(request.url) failed: \(error)")
            }
        }
    }
}
