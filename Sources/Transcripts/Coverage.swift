public import DialogModel

/// A node that ran, in its task: what coverage counts as reached.
public struct CoveredNode: Sendable, Hashable {
    public var task: TaskName
    public var node: NodeID

    public init(task: TaskName, node: NodeID) {
        self.task = task
        self.node = node
    }
}

/// A transition that was taken from a node of a task: what coverage counts as reached.
public struct CoveredTransition: Sendable, Hashable {
    public var task: TaskName
    /// The node it left; `nil` when the trace did not say.
    public var from: NodeID?
    public var to: TransitionTarget

    public init(task: TaskName, from: NodeID?, to: TransitionTarget) {
        self.task = task
        self.from = from
        self.to = to
    }
}
