/// A name from a dialog file with a type of its own, so a node id and a task name are never passed for each other.
///
/// Coded as the plain string, so state and files written before these types existed read the same.
public protocol DialogName: Sendable, Hashable, Comparable, Codable, ExpressibleByStringLiteral, CustomStringConvertible {
    var rawValue: String { get }
    init(_ rawValue: String)
}

extension DialogName {
    public init(stringLiteral value: String) {
        self.init(value)
    }

    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A node's id within its task (`createLeadService`), as the dialog file writes it.
public struct NodeID: DialogName {
    public var rawValue: String

    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }
}

/// A dialog task's name (`Create Lead`), as its file's `dialog:` writes it.
public struct TaskName: DialogName {
    public var rawValue: String

    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }
}
