/// The users the OAuth server signs in and issues tokens for; the record store provides them.
protocol SandboxUserDirectory: Sendable {
    func user(id: String) throws -> SandboxUser?
    func user(username: String) throws -> SandboxUser?
    /// The user when the password is theirs, `nil` otherwise.
    func verifyPassword(username: String, password: String) throws -> SandboxUser?
}
