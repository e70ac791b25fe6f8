/// The caller's input is wrong: a bad URL, a missing field, an unknown name. The message says what and where.
///
/// Kept apart from storage and vault failures so a command can show it as a usage error.
public struct IntegrationInputError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The option or field at fault (`--token-url`), when there is one.
    public var field: String?
    public var message: String

    public init(field: String? = nil, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String {
        field.map { "\($0): \(message)" } ?? message
    }
}

/// Parley could not read or write its state database: a problem with the file or with Parley, not with the input.
public struct IntegrationStoreError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var detail: String

    public var description: String { "cannot use the integration database \(path): \(detail)" }
}
