public import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The real transport: AsyncHTTPClient.
///
/// The caller owns the `HTTPClient`: create it once, share it, and call `shutdown()` after the last request.
/// Redirects are followed or not as that client is configured.
public struct AsyncHTTPClientTransport: HTTPTransport {
    public let httpClient: HTTPClient
    /// Bodies larger than this are refused rather than buffered.
    public var maximumBodySize: Int

    public init(_ httpClient: HTTPClient, maximumBodySize: Int = 32 * 1024 * 1024) {
        self.httpClient = httpClient
        self.maximumBodySize = maximumBodySize
    }

    public func execute(_ request: TransportRequest, timeout: Duration) async throws -> RawResponse {
        var outgoing = HTTPClientRequest(url: request.url.absoluteString)
        outgoing.method = HTTPMethod(rawValue: request.method.rawValue)
        for (name, value) in request.headers { outgoing.headers.add(name: name, value: value) }
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        let deadline = NIODeadline.now() + TimeAmount.nanoseconds(Self.nanoseconds(timeout))
        do {
            let response = try await httpClient.execute(outgoing, deadline: deadline)
            let body = try await response.body.collect(upTo: maximumBodySize)
            return RawResponse(
                status: Int(response.status.code), headerFields: response.headers.map { (name: $0.name, value: $0.value) },
                body: Data(body.readableBytesView))
        } catch let error as HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout: throw SalesforceError.timeout
            case .cancelled: throw CancellationError()
            default: throw SalesforceError.connection(String(describing: error))
            }
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as SalesforceError {
            throw error
        } catch {
            throw SalesforceError.connection(String(describing: error))
        }
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
