import Foundation

/// A task's nodes and where each goes next, as the canvas of a dialog editor shows them, drawn
/// as Mermaid or Graphviz DOT text.
public struct TaskGraph: Sendable {
    /// What a vertex stands for: the task's intent, one of its nodes, a task it calls, or the end.
    public enum VertexID: Sendable, Hashable, CustomStringConvertible {
        case intent
        case node(NodeID)
        case task(TaskName)
        case end

        init(_ target: TransitionTarget) {
            switch target {
            case .node(let id): self = .node(id)
            case .end: self = .end
            }
        }

        /// The name the drawings give the vertex: the node id, "task CreateLead", "intent" or "end".
        public var description: String {
            switch self {
            case .intent: "intent"
            case .node(let id): id.rawValue
            case .task(let name): "task " + name.rawValue
            case .end: "end"
            }
        }
    }

    public struct Vertex: Sendable, Hashable {
        public var id: VertexID
        /// The node id and, on a second line, its type: "lastName" / "(entity: personName)".
        public var label: String
        public var kind: String
    }

    public struct Edge: Sendable, Hashable {
        public var from: VertexID
        public var to: VertexID
        /// The condition or the answer that takes it ("yes", "on error"); empty for plain steps.
        public var label: String
    }

    public var task: TaskName
    public var vertices: [Vertex]
    public var edges: [Edge]

    public init(_ task: DialogTask) {
        self.task = task.name
        var vertices: [Vertex] = [Vertex(id: .intent, label: "\(task.intent.name)\n(intent)", kind: "intent")]
        var edges: [Edge] = []
        if let first = task.nodes.first { edges.append(Edge(from: .intent, to: .node(first.id), label: "")) }
        for (index, node) in task.nodes.enumerated() {
            vertices.append(Vertex(id: .node(node.id), label: "\(node.id)\n(\(Self.describe(node.kind)))", kind: node.kind.typeName))
            let next: VertexID = index + 1 < task.nodes.count ? .node(task.nodes[index + 1].id) : .end
            func edge(_ target: TransitionTarget, _ label: String) {
                edges.append(Edge(from: .node(node.id), to: VertexID(target), label: label))
            }
            switch node.kind {
            case .entity(let spec):
                if spec.presence == .mandatory, spec.onRetriesExceeded != .end {
                    edge(spec.onRetriesExceeded, "too many retries")
                }
            case .service(let spec):
                if let target = spec.onError { edge(target, "on error") }
            case .confirmation(let spec):
                if let yes = spec.onYes { edge(yes, "yes") }
                if let no = spec.onNo { edge(no, "no") }
            case .dialog(let spec):
                let called = VertexID.task(spec.task)
                if !vertices.contains(where: { $0.id == called }) {
                    vertices.append(Vertex(id: called, label: "\(spec.task)\n(task)", kind: "task"))
                }
                edges.append(Edge(from: .node(node.id), to: called, label: spec.returnsAfter ? "runs" : "hands over to"))
            default:
                break
            }
            if !node.transitions.isEmpty {
                for transition in node.transitions {
                    switch transition.condition {
                    case .always: edge(transition.target, node.transitions.count == 1 ? "" : "else")
                    case .script(let script): edge(transition.target, script.source)
                    }
                }
            } else if Self.fallsThrough(node) {
                edges.append(Edge(from: .node(node.id), to: next, label: ""))
            }
        }
        if edges.contains(where: { $0.to == .end }) {
            vertices.append(Vertex(id: .end, label: "end", kind: "end"))
        }
        self.vertices = vertices
        self.edges = edges
    }

    /// Whether a node without transitions goes on to the next one.
    private static func fallsThrough(_ node: Node) -> Bool {
        switch node.kind {
        case .end: false
        case .confirmation(let spec): spec.onYes == nil || spec.onNo == nil
        case .dialog(let spec): spec.returnsAfter
        default: true
        }
    }

    private static func describe(_ kind: NodeKind) -> String {
        switch kind {
        case .entity(let spec): "entity: \(spec.type.typeName)"
        case .service(let spec): "service: \(spec.method)"
        case .dialog(let spec): "dialog: \(spec.task)"
        default: kind.typeName
        }
    }

    // MARK: Drawing

    /// A Mermaid flowchart.
    public var mermaid: String {
        var lines = ["flowchart TD"]
        for vertex in vertices {
            let label = Self.quoted(vertex.label.replacingOccurrences(of: "\n", with: "<br/>"))
            let shape: String
            switch vertex.kind {
            case "intent", "end": shape = "([\(label)])"
            case "confirmation", "logic": shape = "{\(label)}"
            case "service", "task": shape = "[[\(label)]]"
            default: shape = "[\(label)]"
            }
            lines.append("    \(Self.mermaidID(vertex.id))\(shape)")
        }
        for edge in edges {
            let arrow = edge.label.isEmpty ? "-->" : "-- \(Self.quoted(Self.short(edge.label))) -->"
            lines.append("    \(Self.mermaidID(edge.from)) \(arrow) \(Self.mermaidID(edge.to))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A Graphviz DOT digraph.
    public var dot: String {
        var lines = [
            "digraph \(Self.dotString(task.rawValue)) {", "    rankdir=TB;", "    node [fontname=\"Helvetica\", fontsize=11];",
            "    edge [fontname=\"Helvetica\", fontsize=10];",
        ]
        for vertex in vertices {
            let shape: String
            switch vertex.kind {
            case "intent", "end": shape = "ellipse"
            case "confirmation", "logic": shape = "diamond"
            case "service", "task": shape = "box3d"
            default: shape = "box"
            }
            lines.append("    \(Self.dotString(vertex.id.description)) [label=\(Self.dotString(vertex.label)), shape=\(shape)];")
        }
        for edge in edges {
            let label = edge.label.isEmpty ? "" : " [label=\(Self.dotString(Self.short(edge.label)))]"
            lines.append("    \(Self.dotString(edge.from.description)) -> \(Self.dotString(edge.to.description))\(label);")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// Long conditions are cut, so the drawing stays readable.
    private static func short(_ text: String) -> String {
        let single = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return single.count > 48 ? String(single.prefix(47)) + "…" : single
    }

    private static func mermaidID(_ id: VertexID) -> String {
        "n_" + id.description.map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
    }

    /// Text in Mermaid's quotes: quotes become `#quot;`.
    private static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\"", with: "#quot;") + "\""
    }

    /// A DOT string: backslashes and quotes escaped, newlines as `\n`.
    private static func dotString(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return "\"" + escaped + "\""
    }
}
