import CJavaScriptCore

/// Calls `body` with a JavaScriptCore copy of `string`, released afterwards.
func withJSString<Result, Failure: Error>(
    _ string: String, _ body: (JSStringRef) throws(Failure) -> Result
) throws(Failure) -> Result {
    let reference = makeJSString(string)
    defer { JSStringRelease(reference) }
    return try body(reference)
}

/// A new JavaScriptCore string holding `string`; the caller releases it.
func makeJSString(_ string: String) -> JSStringRef {
    // The UTF-8 entry point stops at the first NUL and keeps Latin-1 text compact inside JSC;
    // text with NUL characters (rare, but it comes from outside) goes through UTF-16.
    if !string.utf8.contains(0) {
        return string.withCString { JSStringCreateWithUTF8CString($0) }
    }
    let units = Array(string.utf16)
    return units.withUnsafeBufferPointer { JSStringCreateWithCharacters($0.baseAddress, $0.count) }
}

extension String {
    /// The text of a JavaScriptCore string; unpaired surrogates become U+FFFD.
    init(jsString: JSStringRef) {
        // Copying out UTF-8 lets JavaScriptCore transcode in bulk; decoding UTF-16 unit by unit in
        // Swift measured several times slower on kilobyte strings.
        let capacity = JSStringGetMaximumUTF8CStringSize(jsString)
        guard capacity > 1 else {
            self = ""
            return
        }
        let text = String(unsafeUninitializedCapacity: capacity) { buffer in
            let written = buffer.withMemoryRebound(to: CChar.self) {
                JSStringGetUTF8CString(jsString, $0.baseAddress, capacity)
            }
            return Swift.max(0, written - 1)  // the count includes the terminating NUL
        }
        let length = JSStringGetLength(jsString)
        guard text.utf16.count != length else {
            self = text
            return
        }
        // JavaScriptCore stops converting at an unpaired surrogate; decode the UTF-16 instead.
        guard let characters = JSStringGetCharactersPtr(jsString) else {
            self = text
            return
        }
        self = String(decoding: UnsafeBufferPointer(start: characters, count: length), as: UTF16.self)
    }
}
