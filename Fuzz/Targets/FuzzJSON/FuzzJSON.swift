import Foundation
import ParleyJSON

// Feeds each input to the JSON parser as bytes, as service responses and request bodies arrive. A
// document that parses must write back as JSON that parses to the same value. The input is also
// used as a path to read and set, as bot files and templates write them.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(UnsafeBufferPointer(start: data, count: size))
    if let value = try? JSONValue(parsing: bytes) {
        for pretty in [false, true] {
            let written = value.jsonText(pretty: pretty)
            guard let reread = try? JSONValue(parsing: written) else { preconditionFailure("wrote JSON that does not parse: \(written)") }
            precondition(reread == value, "wrote \(written), which reads back differently")
        }
        _ = value.displayText
    }
    let path = String(decoding: bytes, as: UTF8.self)
    var context: JSONValue = ["entities": ["list": [1, 2, 3]], "session": [:]]
    let set = context.setValue("x", atPath: path)
    precondition(set == (JSONPath.problem(in: path) == nil), "setValue and JSONPath.problem disagree about \(path)")
    if set, !JSONPath.components(of: path).isEmpty {
        precondition(context.value(atPath: path) == "x", "the value set at \(path) does not read back")
    }
    context.removeValue(atPath: path)
    return 0
}
