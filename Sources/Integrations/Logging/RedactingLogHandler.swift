public import DialogRuntime
public import Logging
import SalesforceAPI
import Synchronization

/// A log handler that masks what must never reach a log before its handler writes anything: credentials
/// (tokens in URLs and forms, bearer tokens, secret JSON fields) and the values of sensitive entities the
/// process's conversations have seen (see ``remember(_:)``), in messages, metadata and errors.
public struct RedactingLogHandler: LogHandler {
    private var base: any LogHandler

    public init(_ base: any LogHandler) {
        self.base = base
    }

    public var logLevel: Logger.Level {
        get { base.logLevel }
        set { base.logLevel = newValue }
    }

    /// The logger's metadata as set, masked only when a line is written: every request sets some (its id), and most
    /// write no line at the level logs run at.
    public var metadata: Logger.Metadata = [:]

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var event = event
        event.message = Logger.Message(stringLiteral: Self.redacting(event.message.description))
        // The line's own metadata wins over the logger's, as it does in the handlers this one wraps.
        let merged = event.metadata.map { metadata.merging($0) { _, line in line } } ?? metadata
        event.metadata = merged.isEmpty ? nil : merged.mapValues(Self.redacting)
        if let error = event.error { event.error = RedactedError(description: Self.redacting(String(describing: error))) }
        base.log(event: event)
    }

    // MARK: What is masked

    private static let seen = Mutex(SensitiveText())

    /// Adds a conversation's sensitive values to those masked in every log line from now on.
    public static func remember(_ values: SensitiveText) {
        guard !values.isEmpty else { return }
        seen.withLock { $0.formUnion(values) }
    }

    /// `text` with credentials and remembered sensitive values masked.
    public static func redacting(_ text: String) -> String {
        let sensitive = seen.withLock { $0 }
        return sensitive.masked(CredentialRedaction.redacting(text))
    }

    private static func redacting(_ value: Logger.Metadata.Value) -> Logger.Metadata.Value {
        switch value {
        case .string(let text): .string(redacting(text))
        case .stringConvertible(let convertible): .string(redacting(convertible.description))
        case .array(let values): .array(values.map(redacting))
        case .dictionary(let values): .dictionary(values.mapValues(redacting))
        @unknown default: .string(redacting("\(value)"))
        }
    }

    /// An error as its masked description, in place of the original.
    private struct RedactedError: Error, CustomStringConvertible {
        var description: String
    }
}
