/// Why a line editor could not be set up.
///
/// The cases can grow, so this is a struct over a private enum; compare with the
/// static members, or print it for a message that says what went wrong and where.
public struct LineEditorError: Error, Equatable, Sendable, CustomStringConvertible {
    private enum Kind: Equatable, Sendable {
        case historyFileUnusable(path: String, reason: String)
        case invalidHistoryLimit(Int)
        case systemResourceUnavailable(what: String, errno: Int32)
    }

    private let kind: Kind

    /// The history file (or its folder) cannot be created or read.
    public static func historyFileUnusable(path: String, reason: String) -> Self {
        Self(kind: .historyFileUnusable(path: path, reason: reason))
    }

    /// The history limit is not a positive number.
    public static func invalidHistoryLimit(_ limit: Int) -> Self {
        Self(kind: .invalidHistoryLimit(limit))
    }

    /// The system refused a resource the editor needs (a pipe, a terminal session).
    static func systemResourceUnavailable(_ what: String, errno: Int32) -> Self {
        Self(kind: .systemResourceUnavailable(what: what, errno: errno))
    }

    public var description: String {
        switch kind {
        case .historyFileUnusable(let path, let reason):
            "history file \(path) cannot be used: \(reason)"
        case .invalidHistoryLimit(let limit):
            "history limit must be at least 1, got \(limit)"
        case .systemResourceUnavailable(let what, let code):
            "line editor could not get \(what) from the system (errno \(code))"
        }
    }
}
