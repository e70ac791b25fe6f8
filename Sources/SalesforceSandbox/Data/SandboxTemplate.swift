import Foundation
import GRDB
import Synchronization

/// A fully prepared in-memory org (schema, users, the system app, demo records) that new in-memory
/// sandboxes start as a copy of, instead of creating and seeding it all again.
///
/// Seeding writes about a hundred records and dominates the start of a throwaway sandbox; transcript
/// replays start one per transcript, all at the same fixed time, so they share one template. Copying is
/// SQLite's online backup of the pages plus a copy of the in-memory records.
struct SandboxTemplate: Sendable {
    let database: DatabaseQueue
    let records: RecordStore.State
    /// The key the template's client secrets are sealed with, which its copies keep.
    let seal: SecretSeal

    /// What makes two orgs' starting contents the same.
    struct Key: Hashable, Sendable {
        var seeded: Bool
        var seededAt: Date
        var systemAppCallbacks: [String]
    }

    /// The template for sandboxes created now with `configuration`, built on first use.
    static func template(for configuration: SandboxConfiguration, at now: Date) throws -> SandboxTemplate {
        let key = Key(seeded: configuration.seedDemoData, seededAt: now, systemAppCallbacks: configuration.systemAppCallbacks)
        if let known = cache.withLock({ $0.entries.first { $0.key == key }?.template }) { return known }
        let database = try DatabaseQueue()
        let records = try RecordStore(database: database, clock: { now })
        let seal = SecretSeal.ephemeral()
        _ = try OAuthStore(
            database: database, clock: { now }, sessionTimeout: configuration.sessionTimeout,
            systemAppCallbacks: configuration.systemAppCallbacks, seal: seal)
        if configuration.seedDemoData { _ = try records.seedIfEmpty() }
        let template = SandboxTemplate(database: database, records: records.state.withLock { $0 }, seal: seal)
        cache.withLock { cache in
            cache.entries.removeAll { $0.key == key }
            cache.entries.append((key, template))
            if cache.entries.count > Self.capacity { cache.entries.removeFirst() }
        }
        return template
    }

    /// A new in-memory database with the template's contents.
    func copy() throws -> DatabaseQueue {
        let copy = try DatabaseQueue()
        try database.backup(to: copy)
        return copy
    }

    /// Sandboxes with a real clock seed at a new time each; a few recent templates are plenty.
    private static let capacity = 4

    private struct Cache: Sendable {
        var entries: [(key: Key, template: SandboxTemplate)] = []
    }

    private static let cache = Mutex(Cache())
}
