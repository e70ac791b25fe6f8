import DialogRuntime
import Foundation
import ParleyJSON
import SalesforceSandboxTesting
import Synchronization

extension TestClock {
    /// 2026-03-02T09:00:00Z, a Monday: "today" in every transcript that does not set `@clock`.
    static let transcriptStart = Date(timeIntervalSince1970: 1_772_442_000)

    /// The transcript's clock: fixed unless `@clock` moves it, so dates such as "tomorrow" replay the same.
    static func transcript() -> TestClock {
        TestClock(transcriptStart)
    }

    /// Applies `@clock`.
    func apply(_ change: ClockChange) {
        switch change {
        case .set(let date): set(to: date)
        case .advance(let seconds): advance(by: seconds)
        }
    }
}

/// Answers service calls from `@http` stubs, and remembers calls no stub answered so the runner can report them.
final class HTTPStubs: Sendable {
    private struct State {
        var stubs: [HTTPStub] = []
        var captures: [String: String] = [:]
        var unanswered: [String] = []
    }

    private let state = Mutex(State())

    func add(_ stub: HTTPStub, captures: [String: String]) {
        state.withLock {
            $0.stubs.append(stub)
            $0.captures = captures
        }
    }

    func updateCaptures(_ captures: [String: String]) {
        state.withLock { $0.captures = captures }
    }

    /// Calls no stub answered since the last call of this method.
    func takeUnanswered() -> [String] {
        state.withLock { state in
            defer { state.unanswered = [] }
            return state.unanswered
        }
    }

    var service: HTTPService {
        HTTPService { [self] request throws(ServiceCallError) in
            // The stub added last wins, so a later `@http` line can change what a URL answers.
            let found: HTTPStub? = state.withLock { state in
                state.stubs.last { $0.method == request.method && $0.url.match(request.url, captures: state.captures) != nil }
            }
            guard let stub = found else {
                let call = "\(request.method) \(request.url)"
                state.withLock { $0.unanswered.append(call) }
                throw .connection("no @http stub answers \(call)")
            }
            let isJSON = (try? JSONValue(parsing: stub.body)) != nil
            return ServiceResponse(
                statusCode: stub.status,
                headers: [.init("Content-Type", isJSON ? "application/json" : "text/plain")],
                body: Data(stub.body.utf8))
        }
    }
}
