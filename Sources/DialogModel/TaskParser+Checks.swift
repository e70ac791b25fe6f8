import Foundation
internal import Yams

extension TaskParser {
    /// Context keys that are not node ids, so `context.<key>.response` is not about a service node.
    static let reservedContextKeys: Set<String> = ["entities", "session", "intent", "history", "currentNode"]

    /// Gives every node an id: its own, or `<type><position>` like `entity1`, made unique.
    mutating func assignIDs() -> [String] {
        var ids: [String] = []
        var explicit: [String: SourceLocation] = [:]
        for draft in drafts {
            guard let id = draft.explicitID, let location = draft.idLocation else { continue }
            if let first = explicit[id] {
                reader.error("duplicate node id '\(id)'; it is already used at line \(first.line)", at: location)
            } else {
                explicit[id] = location
            }
        }
        var used = Set(explicit.keys)
        for (index, draft) in drafts.enumerated() {
            if let id = draft.explicitID {
                ids.append(id)
                continue
            }
            var id = "\(draft.typeName)\(index + 1)"
            while used.contains(id) { id += "_" }
            used.insert(id)
            ids.append(id)
        }
        // Entity and confirmation names default to the node id.
        for index in drafts.indices {
            switch drafts[index].kind {
            case .entity(var spec) where spec.name.isEmpty:
                spec.name = ids[index]
                drafts[index].kind = .entity(spec)
            case .confirmation(var spec) where spec.name.isEmpty:
                spec.name = ids[index]
                drafts[index].kind = .confirmation(spec)
            default: break
            }
        }
        return ids
    }

    /// Checks what needs every node: targets, reachability, placeholders and scripts.
    mutating func check(ids: [String]) {
        let entityNames = checkEntityNames()
        for reference in targets where !ids.contains(reference.name) {
            reader.error(
                "unknown node '\(reference.name)'", at: reference.location,
                suggestion: Suggestion.closest(to: reference.name, among: ids + ["end"]))
        }
        checkReachability(ids: ids)

        let serviceIDs = drafts.indices.filter {
            if case .service = drafts[$0].kind { true } else { false }
        }.map { ids[$0] }
        let known = KnownNames(
            entities: entityNames + assignedEntities, services: serviceIDs, nodes: ids,
            hasIntegration: integration != nil
                || drafts.contains { if case .service(let spec) = $0.kind { spec.integration != nil } else { false } })
        for site in templates {
            checkTemplate(site, known: known)
        }
        for site in scripts {
            checkScript(site.source, role: site.role, kind: site.kind, at: site.location)
            if site.kind == .expression {
                checkReferences(in: site.source, at: site.location, known: known)
            }
        }
    }

    /// The names entities are stored under, reporting the same name used twice.
    private mutating func checkEntityNames() -> [String] {
        var names: [String] = []
        for draft in drafts {
            let name: String
            switch draft.kind {
            case .entity(let spec): name = spec.name
            case .confirmation(let spec): name = spec.name
            case nil where ["entity", "confirmation"].contains(draft.typeName) && draft.explicitID != nil:
                // The node has its own errors; still count its name, so placeholders that use it
                // don't report a second, misleading error.
                name = draft.explicitID ?? ""
            default: continue
            }
            if names.contains(name) {
                reader.error("two nodes store their value as entity '\(name)'; give one of them another 'name'", at: draft.location)
            }
            names.append(name)
        }
        return names
    }

    // MARK: Reachability

    private mutating func checkReachability(ids: [String]) {
        guard !drafts.isEmpty else { return }
        var edges = Array(repeating: [Int](), count: drafts.count)
        for reference in targets {
            if let index = ids.firstIndex(of: reference.name) { edges[reference.from].append(index) }
        }
        for (index, draft) in drafts.enumerated() where index + 1 < drafts.count && fallsThrough(draft) {
            edges[index].append(index + 1)
        }
        var reached: Set<Int> = [0]
        var pending = [0]
        while let index = pending.popLast() {
            for next in edges[index] where reached.insert(next).inserted {
                pending.append(next)
            }
        }
        for (index, draft) in drafts.enumerated() where !reached.contains(index) && draft.kind != nil {
            reader.warning("node '\(ids[index])' is never reached", at: draft.location)
        }
    }

    /// Whether a node goes on to the next node in the file when it is done.
    private func fallsThrough(_ draft: DraftNode) -> Bool {
        if draft.hasTransitions { return false }
        switch draft.kind {
        case .end: return false
        case .confirmation(let spec): return spec.onYes == nil || spec.onNo == nil
        case .dialog(let spec): return spec.returnsAfter
        default: return true
        }
    }

    // MARK: Placeholders and scripts

    private mutating func checkTemplate(_ site: TextSite, known: KnownNames) {
        let (placeholders, unclosed) = Placeholder.scan(site.text)
        var cursor = site.location
        for placeholder in placeholders {
            let place = reader.source.locate(placeholder.written, from: cursor) ?? site.location
            if place != site.location { cursor = place }
            if placeholder.expression.isEmpty {
                reader.error("empty placeholder '\(placeholder.written)'", at: place)
                continue
            }
            let expressionPlace = reader.source.locate(placeholder.expression, from: place) ?? place
            checkScript(placeholder.expression, role: "placeholder", kind: .expression, at: expressionPlace)
            checkReferences(in: placeholder.expression, at: expressionPlace, known: known)
        }
        if unclosed {
            // The unclosed braces are the last ones; the text after them pins down where they are.
            let tail = site.text.range(of: "{{", options: .backwards).map { String(site.text[$0.lowerBound...]) } ?? "{{"
            let place = reader.source.locate(tail, from: site.location) ?? site.location
            reader.error("unclosed placeholder: '{{' without '}}'", at: place)
        }
    }

    /// Reports JavaScript that does not compile, at the file position of the error.
    private mutating func checkScript(_ source: String, role: String, kind: ScriptKind, at location: SourceLocation) {
        guard let scriptChecker, let problem = scriptChecker.syntaxError(in: source, as: kind) else { return }
        let place = reader.source.locate(line: problem.line, column: problem.column, in: source, startingAt: location)
        reader.error("JavaScript error in \(role): \(problem.message)", at: place)
    }

    /// Reports `context.entities.X` naming no entity, `context.X.response` naming no service node and
    /// `integration.X` in a task without an integration.
    private mutating func checkReferences(in expression: String, at location: SourceLocation, known: KnownNames) {
        for (name, written) in Self.matches(#"context\.entities\.([A-Za-z_$][A-Za-z0-9_$]*)"#, in: expression)
        where !known.entities.contains(name) {
            reader.error(
                "unknown entity '\(name)'", at: reader.source.locate(written, from: location) ?? location,
                suggestion: Suggestion.closest(to: name, among: known.entities))
        }
        for (id, written) in Self.matches(#"context\.([A-Za-z_$][A-Za-z0-9_$]*)\.response\b"#, in: expression)
        where !Self.reservedContextKeys.contains(id) && !known.services.contains(id) {
            let place = reader.source.locate(written, from: location) ?? location
            if known.nodes.contains(id) {
                reader.error("node '\(id)' is not a service node, so it has no response", at: place)
            } else {
                reader.error(
                    "unknown service node '\(id)'", at: place,
                    suggestion: Suggestion.closest(to: id, among: known.services))
            }
        }
        if !known.hasIntegration {
            for (_, written) in Self.matches(#"(?<![A-Za-z0-9_$.])integration\.([A-Za-z_$][A-Za-z0-9_$]*)"#, in: expression) {
                reader.error(
                    "'\(written)' is only available in tasks with an 'integration'",
                    at: reader.source.locate(written, from: location) ?? location)
            }
        }
    }

    /// The first capture group and the whole match of each match of `pattern`.
    private static func matches(_ pattern: String, in text: String) -> [(String, String)] {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            guard let whole = Range(match.range, in: text), let group = Range(match.range(at: 1), in: text) else {
                return nil
            }
            return (String(text[group]), String(text[whole]))
        }
    }
}

/// Names that placeholders and conditions may refer to.
struct KnownNames {
    var entities: [String]
    var services: [String]
    var nodes: [String]
    var hasIntegration: Bool
}
