/// What is wrong with a request made to the sandbox through its API or command line.
public struct SandboxError: Error, Sendable, Hashable, CustomStringConvertible {
    public let description: String

    static func unknownApp(_ clientID: String) -> SandboxError {
        SandboxError(description: "no connected app has the client id '\(clientID)'")
    }

    static func unknownUser(_ username: String) -> SandboxError {
        SandboxError(description: "the sandbox has no user '\(username)'")
    }

    static func invalidCallbackURL(_ url: String) -> SandboxError {
        SandboxError(
            description: "'\(url)' is not a valid callback URL; give an absolute URL such as http://127.0.0.1:8974/oauth/callback")
    }

    static let invalidAppName = SandboxError(description: "a connected app needs a name")
    static let noCallbackURL = SandboxError(description: "a connected app needs at least one callback URL")

    static func unknownScopes(_ scopes: [String]) -> SandboxError {
        SandboxError(description: "unknown OAuth scopes: \(scopes.joined(separator: ", "))")
    }
}
