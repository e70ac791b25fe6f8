import Foundation
import GRDB
import SalesforceWire

@testable import SalesforceSandbox

// Feeds each input to the sandbox as the text of a SOSL search (`GET /search?q=…`): parsed, then
// searched over the demo org. A search may be refused, but only with Salesforce's
// 400 error array.

/// The sandbox's demo org (accounts, contacts, leads, opportunities), made once for every input.
private let store: RecordStore = {
    do {
        let store = try RecordStore(
            database: try DatabaseQueue(), clock: { Date(timeIntervalSince1970: 1_773_835_200) })
        _ = try store.seedIfEmpty()
        return store
    } catch {
        fatalError("cannot make the store: \(error)")
    }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        _ = try store.search(SOSLSearch.parse(text), version: "66.0")
    } catch {
        precondition(error.status == 400 && !error.errors.isEmpty, "not a 400 error array: \(error)")
    }
    return 0
}
