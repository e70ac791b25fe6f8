public import Foundation

/// Runs `body` with a line editor, closing it (and restoring the terminal) when `body` returns or throws.
///
/// The parameters are those of ``LineEditor/init(input:output:historyFile:historyLimit:terminalType:)``.
/// - Throws: ``LineEditorError`` when the editor cannot be opened, or what `body` throws.
public func withLineEditor<Result>(
    input: FileHandle = .standardInput, output: FileHandle = .standardOutput,
    historyFile: URL?, historyLimit: Int = 1000, terminalType: String? = nil,
    isolation: isolated (any Actor)? = #isolation,
    _ body: (LineEditor) async throws -> Result
) async throws -> Result {
    let editor = try LineEditor(
        input: input, output: output, historyFile: historyFile, historyLimit: historyLimit,
        terminalType: terminalType)
    defer { editor.close() }
    return try await body(editor)
}
