import Foundation

/// Finds transcript files and replays them in parallel, reporting results in file order.
public enum TranscriptSuite {
    /// The extension transcript files have.
    public static let fileExtension = "chat"

    /// Every `*.chat` file under the given files and folders, sorted by path, each once.
    ///
    /// - Throws: `TranscriptRunError` naming a path that does not exist.
    public static func files(in paths: [String]) throws -> [String] {
        var found: [String] = []
        let manager = FileManager.default
        for path in paths {
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isFolder) else {
                throw TranscriptPathError(path: path)
            }
            guard isFolder.boolValue else {
                found.append(path)
                continue
            }
            let enumerator = manager.enumerator(atPath: path)
            while let relative = enumerator?.nextObject() as? String {
                if (relative as NSString).pathExtension == fileExtension {
                    found.append((path as NSString).appendingPathComponent(relative))
                }
            }
        }
        var seen = Set<String>()
        return found.sorted().filter { seen.insert($0).inserted }
    }

    /// Replays files with at most `jobs` at once; results come back in the order of `files`.
    ///
    /// - Parameter progress: called after each transcript with how many are done, from any task.
    public static func run(
        _ files: [String], runner: TranscriptRunner, jobs: Int,
        progress: @escaping @Sendable (Int, TranscriptResult) -> Void = { _, _ in }
    ) async -> [TranscriptResult] {
        var results = [TranscriptResult?](repeating: nil, count: files.count)
        // The heaviest first, so short transcripts fill the gaps at the end instead of one long one running alone.
        var weights: [Int] = []
        for file in files { weights.append(await runner.estimatedWork(file: file)) }
        let order = files.indices.sorted { (weights[$0], $1) > (weights[$1], $0) }
        await withTaskGroup(of: (Int, TranscriptResult).self) { group in
            var next = 0
            var done = 0
            func start() {
                let index = order[next]
                next += 1
                group.addTask { (index, await runner.run(file: files[index])) }
            }
            while next < min(max(jobs, 1), files.count) { start() }
            while let (index, result) = await group.next() {
                results[index] = result
                done += 1
                progress(done, result)
                if next < files.count { start() }
            }
        }
        return results.compactMap { $0 }
    }

    /// `N passed, N failed`, the line CI and people look for.
    public static func summary(_ results: [TranscriptResult]) -> String {
        let failed = results.count { !$0.passed }
        return "\(results.count - failed) passed, \(failed) failed"
    }
}

/// A path given to `parley test` that does not exist.
public struct TranscriptPathError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var description: String { "no transcript file or folder at \(path)" }
}
