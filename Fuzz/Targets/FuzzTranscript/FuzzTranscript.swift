import Foundation
import Transcripts

// Feeds each input as the text of a transcript file (`*.chat`), as `parley test` reads it. A
// transcript may be refused, but only with the lines that cannot be read.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        _ = try TranscriptParser.parse(text, path: "Fuzz.chat")
    } catch {
        precondition(!error.problems.isEmpty, "a transcript refused without a problem")
    }
    return 0
}
