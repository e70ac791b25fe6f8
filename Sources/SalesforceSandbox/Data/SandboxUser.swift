import SalesforceWire

/// A user of the sandbox org: who signs in on the login page and owns records.
struct SandboxUser: Sendable, Hashable {
    /// The 18-character `005…` id.
    var id: String
    var username: String
    var name: String
    var firstName: String
    var lastName: String
    var email: String
    /// The 18-character `00D…` id of the sandbox org.
    var organizationID: String
    var isAdmin: Bool
    var title: String

    init(
        id: String, username: String, firstName: String, lastName: String, email: String,
        organizationID: String = SandboxUser.organizationID, isAdmin: Bool, title: String
    ) {
        self.id = id
        self.username = username
        self.firstName = firstName
        self.lastName = lastName
        self.name = "\(firstName) \(lastName)"
        self.email = email
        self.organizationID = organizationID
        self.isAdmin = isAdmin
        self.title = title
    }

    /// The single org every sandbox user belongs to.
    static let organizationID = RecordID.withChecksum(KeyPrefix.organization + "Pa0000000001")

    /// The sales rep people sign in as to try Parley (password `parley-demo`).
    static let demo = SandboxUser(
        id: RecordID.withChecksum(KeyPrefix.user + "Pa0000000001"), username: "demo@parley.dev",
        firstName: "Dana", lastName: "Demo", email: "demo@parley.dev", isAdmin: false, title: "Sales Representative")

    /// The administrator (password `parley-admin`).
    static let admin = SandboxUser(
        id: RecordID.withChecksum(KeyPrefix.user + "Pa0000000002"), username: "admin@parley.dev",
        firstName: "Alex", lastName: "Admin", email: "admin@parley.dev", isAdmin: true, title: "System Administrator")

    /// The built-in users with their initial passwords.
    static let builtIn: [(user: SandboxUser, password: String)] = [(demo, "parley-demo"), (admin, "parley-admin")]
}
