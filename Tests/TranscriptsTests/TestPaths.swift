import Foundation
import Transcripts

/// Folders of the package, found from this file so tests run from any working directory.
enum TestPaths {
    /// The package root, with a trailing slash.
    static let root: String = {
        let here = URL(fileURLWithPath: #filePath)
        return here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path + "/"
    }()

    /// The green transcripts: every file here is its own test case.
    static let transcripts = root + "Tests/Transcripts"
    /// Transcripts that fail on purpose, with their reports as golden files; kept out of the green set.
    static let broken = root + "Tests/TranscriptsTests/Transcripts/broken"
    /// The Salesforce bot, the default for transcripts without `@bot`.
    static let dialogs = root + "Dialogs"

    /// Every green transcript, relative to the package root so test names stay short.
    static var transcriptFiles: [String] {
        ((try? TranscriptSuite.files(in: [transcripts])) ?? []).map { String($0.dropFirst(root.count)) }
    }
}
