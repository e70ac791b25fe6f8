import DialogModel
import Foundation
import ParleyJSON
import Scripting
import WebEncoding

extension Turn {
    // MARK: - Service nodes

    /// Runs a service node in its four steps: access (the integration's token, or a pause to authorize), the
    /// request (placeholders filled), the call, and the answer stored as `context.<node>.response`.
    nonisolated(nonsending) mutating func executeService(_ node: Node, _ spec: ServiceSpec) async -> Flow {
        guard let frame = state.current, let task = compiled.task(frame.task) else { return .wait }
        let access: ServiceAccess
        switch await serviceAccess(for: node, spec, in: task) {
        case .granted(let granted): access = granted
        case .stopped(let flow): return flow
        }
        guard let request = buildRequest(spec, of: node, variables: access.variables) else {
            say(standard(responses.serviceFailed))
            return failTask()
        }
        trace(node.id, "\(request.method) \(request.url)")
        record(node.id, "waitingForServerResponse")
        do throws(ServiceCallError) {
            let response = try await send(request, through: access.integration)
            return store(response, of: node)
        } catch {
            return serviceFailed(error, at: node, spec)
        }
    }

    /// What a service call may use: the script variables, with `integration` when it goes through one.
    private struct ServiceAccess {
        var variables: [String: JSONValue]
        var integration: (any Integration)?
    }

    /// A step that either lets the node go on or ends it with a flow of its own.
    private enum ServiceStep<Value> {
        case granted(Value)
        case stopped(Flow)
    }

    /// The integration the node goes through, ready with its token; or the task paused for authorization, or
    /// failed when the integration is missing or unavailable.
    nonisolated(nonsending) private mutating func serviceAccess(for node: Node, _ spec: ServiceSpec, in task: DialogTask) async
        -> ServiceStep<ServiceAccess>
    {
        var access = ServiceAccess(variables: scriptVariables(), integration: nil)
        guard let name = spec.integration ?? task.integration else { return .granted(access) }
        guard let configured = environment.integrations[name] else {
            report(node: node, task: task.name, "needs the '\(name)' integration, which is not enabled for this bot")
            say(standard(responses.serviceFailed))
            return .stopped(failTask())
        }
        switch await configured.access(for: user) {
        case .ready(let values):
            access.variables["integration"] = values
            access.integration = configured
            return .granted(access)
        case .authorizationRequired(let request):
            return .stopped(pause(at: node, for: request))
        case .unavailable(let reason):
            report(node: node, task: task.name, "cannot use '\(name)': \(reason)")
            say(standard(responses.serviceFailed))
            return .stopped(failTask())
        case .needsAttention(let reason):
            return .stopped(needsAttention(at: node, integration: name, reason: reason))
        }
    }

    /// Sends the request through the integration, or as plain HTTP when there is none.
    nonisolated(nonsending) private func send(_ request: ServiceRequest, through integration: (any Integration)?)
        async throws(ServiceCallError)
        -> ServiceResponse
    {
        if let integration { return try await integration.send(request, for: user) }
        return try await environment.http.send(request)
    }

    /// Stores the answer as `context.<node>.response` and takes the node's transition.
    private mutating func store(_ response: ServiceResponse, of node: Node) -> Flow {
        trace(node.id, "answered \(response.statusCode)")
        var headers: [String: JSONValue] = [:]
        for header in response.headers { headers[header.name.lowercased()] = .string(header.value) }
        storeResponse(
            of: node,
            [
                "statusCode": .number(Double(response.statusCode)),
                "body": Turn.decodeBody(response.body),
                "headers": .object(headers),
            ])
        record(node.id, "processed")
        return follow(transitionTarget(after: node))
    }

    /// A call that got no answer: paused for authorization, or stored as an error and sent to the node's
    /// `onError` target, or the task failed with the standard response.
    private mutating func serviceFailed(_ error: ServiceCallError, at node: Node, _ spec: ServiceSpec) -> Flow {
        let standardResponse: String
        switch error {
        case .authorizationRequired(let request):
            return pause(at: node, for: request)
        case .needsAttention(let reason):
            let task = state.current.flatMap { compiled.task($0.task) }
            return needsAttention(at: node, integration: spec.integration ?? task?.integration ?? "the service", reason: reason)
        case .timeout:
            trace(node.id, "timed out")
            storeResponse(of: node, ["statusCode": 0, "error": "timeout"])
            standardResponse = responses.serviceTimedOut
        case .connection(let reason):
            trace(node.id, "failed: \(reason)")
            storeResponse(of: node, ["statusCode": 0, "error": .string(reason)])
            standardResponse = responses.serviceFailed
        }
        guard let target = spec.onError else {
            say(standard(standardResponse))
            return failTask()
        }
        trace(node.id, "→ \(target) (error)", kind: .transition(to: target))
        return follow(target)
    }

    /// Stores `context.<node>.response`.
    private mutating func storeResponse(of node: Node, _ response: JSONValue) {
        guard var context = state.current?.context else { return }
        context[node.id.rawValue] = ["response": response]
        state.current?.context = context
    }

    /// JSON bodies become JSON; anything else stays text.
    static func decodeBody(_ body: Data) -> JSONValue {
        if body.isEmpty { return .null }
        if let value = try? JSONValue(parsing: body) { return value }
        return .string(String(decoding: body, as: UTF8.self))
    }

    /// The integration's own connection is broken: the user is told it needs attention and the task ends. Not the
    /// node's error path, which is for the service failing, nor a problem in the bot: the operator's to fix, and
    /// the integration has told them why.
    private mutating func needsAttention(at node: Node, integration: String, reason: String) -> Flow {
        trace(node.id, "\(integration) needs attention: \(reason)")
        let task = state.stack.first?.task ?? state.current?.task ?? ""
        say(
            standard(
                responses.integrationNeedsAttention,
                [
                    "integration": displayName(ofIntegration: integration),
                    "doTask": Turn.verbPhrase(ofTask: displayName(ofTask: task)),
                ]))
        return failTask()
    }

    /// Pauses the task until the user authorizes; the node runs again afterwards.
    private mutating func pause(at node: Node, for request: AuthorizationRequest) -> Flow {
        state.current?.waiting = .authorization(request)
        trace(node.id, "paused: \(request.integration) needs authorization")
        record(node.id, "pause")
        sayAuthorizationNeeded(request)
        return .wait
    }

    /// Fills the node's placeholders into a request.
    private mutating func buildRequest(_ spec: ServiceSpec, of node: Node, variables: [String: JSONValue]) -> ServiceRequest? {
        func fill(_ template: Template) -> String? {
            guard template.text.containsOpeningBraces else { return template.text }
            do {
                return try engine.render(template.text, variables: variables)
            } catch {
                report(at: template.location, task: state.current?.task ?? "", node: node.id, "placeholder failed: \(error)")
                return nil
            }
        }
        let url: String
        do {
            url = try engine.render(spec.url.text, variables: variables, escaping: Turn.urlPart)
        } catch {
            report(at: spec.url.location, task: state.current?.task ?? "", node: node.id, "placeholder failed: \(error)")
            return nil
        }
        var headers: [ServiceRequest.Header] = []
        for header in spec.headers {
            guard let value = fill(header.value) else { return nil }
            // A value may not start another header line.
            headers.append(.init(header.name, value.filter { $0 != "\r" && $0 != "\n" }))
        }
        var body: Data?
        switch spec.body {
        case .none:
            break
        case .json(let template):
            guard let value = resolve(template, variables: variables, at: node.location, node: node) else { return nil }
            body = Data(value.jsonText().utf8)
            if !headers.contains(where: { $0.name.lowercased() == "content-type" }) {
                headers.append(.init("Content-Type", "application/json"))
            }
        case .form(let fields):
            var pairs: [String] = []
            for field in fields {
                guard let value = fill(field.value) else { return nil }
                pairs.append(FormEncoding.encode(field.name) + "=" + FormEncoding.encode(value))
            }
            body = Data(pairs.joined(separator: "&").utf8)
            if !headers.contains(where: { $0.name.lowercased() == "content-type" }) {
                headers.append(.init("Content-Type", "application/x-www-form-urlencoded"))
            }
        case .text(let template):
            guard let value = fill(template) else { return nil }
            body = Data(value.utf8)
            if !headers.contains(where: { $0.name.lowercased() == "content-type" }) {
                headers.append(.init("Content-Type", "text/plain; charset=utf-8"))
            }
        }
        let seconds = min(max(spec.timeout, 1), ServiceSpec.maximumTimeout)
        return ServiceRequest(
            method: spec.method.uppercased(), url: url, headers: headers, body: body,
            timeout: .milliseconds(Int(seconds * 1000)))
    }

    /// A placeholder's value in a URL: as is while the URL has not reached its path (the base,
    /// `{{integration.instanceUrl}}`, or a host), percent-encoded in the path and the query, so a
    /// value can neither add a path segment nor a parameter.
    static func urlPart(before: String, value: String) -> String {
        if before.isEmpty { return value }
        if let scheme = before.range(of: "://"), !before[scheme.upperBound...].contains(where: { "/?#".contains($0) }) {
            return value
        }
        return PercentEncoding.component(value)
    }
}
