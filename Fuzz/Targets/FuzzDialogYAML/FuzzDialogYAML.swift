import DialogModel
import Foundation

// Feeds each input as the text of a dialog task file and as the text of bot.yaml, through the
// same parsing and checks as `parley lint`. A file may be refused, but only with diagnostics.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let (task, taskProblems) = BotLoader.parseTask(yaml: text, file: "Fuzz.yaml")
    precondition(task != nil || taskProblems.contains { $0.severity == .error }, "a task refused without an error")
    let (settings, settingsProblems) = BotLoader.parseSettings(yaml: text, file: "bot.yaml")
    precondition(settings != nil || settingsProblems.contains { $0.severity == .error }, "settings refused without an error")
    return 0
}
