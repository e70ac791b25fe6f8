import ArgumentParser
import Foundation
import Glibc

/// Checks a file an option names for writing, before any work starts, so a bad path is a usage error that says
/// what is wrong rather than a failure after the chat or the run.
enum OutputFile {
    /// - Throws: `ValidationError` when `path` is empty, is a folder, or its folder is missing or not writable.
    static func check(_ path: String, option: String) throws {
        guard !path.isEmpty else { throw ValidationError("\(option) needs a file name") }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard !isDirectory.boolValue else { throw ValidationError("\(option): '\(path)' is a folder; name a file") }
            guard access(path, W_OK) == 0 else {
                throw ValidationError("\(option): '\(path)' cannot be written (\(String(cString: strerror(errno))))")
            }
            return
        }
        let folder = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("\(option): the folder '\(folder)' does not exist")
        }
        guard access(folder, W_OK | X_OK) == 0 else {
            throw ValidationError("\(option): cannot write in the folder '\(folder)' (\(String(cString: strerror(errno))))")
        }
    }
}

/// A file an option names could not be written after all (the disk filled, the folder went away).
struct OutputFileFailure: Error, CustomStringConvertible {
    var option: String
    var path: String
    var error: any Error

    var description: String { "\(option): cannot write '\(path)' (\(error.localizedDescription))" }
}
