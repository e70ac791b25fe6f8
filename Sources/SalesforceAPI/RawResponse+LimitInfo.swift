import Foundation
import SalesforceWire

/// The org's API usage as `Sforce-Limit-Info: api-usage=10018/100000` reports it.
public struct APILimitUsage: Sendable, Hashable {
    public var used: Int
    public var limit: Int

    public init(used: Int, limit: Int) {
        self.used = used
        self.limit = limit
    }
}

extension RawResponse {
    /// The `api-usage` part of `Sforce-Limit-Info`; `nil` when absent (as on `/services/data/`) or malformed.
    public var apiUsage: APILimitUsage? {
        guard let header = header(SalesforceHeader.limitInfo) else { return nil }
        for part in header.split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0] == "api-usage" else { continue }
            let numbers = pair[1].split(separator: "/").compactMap { Int($0) }
            guard numbers.count == 2 else { return nil }
            return APILimitUsage(used: numbers[0], limit: numbers[1])
        }
        return nil
    }
}
