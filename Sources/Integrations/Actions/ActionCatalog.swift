import Foundation

/// An action Parley can connect a bot to, as the seed platform's Actions page lists it.
public struct ActionDescriptor: Sendable, Hashable {
    /// The name commands and tasks use (`salesforce`).
    public var name: String
    /// What people see (`Salesforce CRM`).
    public var displayName: String
    public var summary: String
}

/// Whether an action is ready for a bot's tasks.
public enum ActionState: String, Sendable, Hashable, CustomStringConvertible {
    /// Not enabled for this bot.
    case available = "Available"
    /// Enabled, with an authorization type and app chosen.
    case configured = "Configured"

    public var description: String { rawValue }
}

/// The actions Parley ships.
public enum ActionCatalog {
    public static let salesforce = ActionDescriptor(
        name: "salesforce", displayName: "Salesforce CRM",
        summary: "Create, update, search and delete leads and opportunities")

    public static let all: [ActionDescriptor] = [salesforce]

    /// The action with this name, compared without regard to case.
    ///
    /// - Throws: `IntegrationInputError` listing the known actions.
    public static func action(named name: String) throws -> ActionDescriptor {
        if let found = all.first(where: { $0.name.caseInsensitiveCompare(name) == .orderedSame }) { return found }
        throw IntegrationInputError(
            "unknown action '\(name)'; available actions: \(all.map(\.name).joined(separator: ", "))")
    }
}
