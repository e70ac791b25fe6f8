import CJavaScriptCore
import ParleyJSON

/// The JavaScript values built for recent variables, reused while they stay unchanged.
///
/// A turn evaluates several conditions and templates over the same context; building it again
/// for each call was the largest cost. A value is reused only when the caller passes an equal
/// `JSONValue` and the JavaScript object still serializes to the snapshot taken when it was
/// built, so a script that changed it in place (or kept a reference and changed it later) is
/// never seen by the next call. The same snapshot tells `run` which variables a script left
/// alone, so they need no conversion back.
final class BoundVariables {
    private struct Entry {
        let value: JSONValue
        let javaScript: JSValueRef
        let snapshot: JSStringRef
    }

    private let context: JSContextRef
    private var entries: [String: Entry] = [:]
    private let limit = 64

    init(context: JSContextRef) { self.context = context }

    deinit { removeAll() }

    /// The JavaScript value for `value` under `name`: the cached one when unchanged, else a new one.
    func javaScriptValue(_ name: String, for value: JSONValue, bridge: JSBridge) -> JSValueRef {
        if let entry = entries[name], entry.value == value, isUnchanged(entry) {
            return entry.javaScript
        }
        let made = bridge.makeValue(value)
        guard let snapshot = JSValueCreateJSONString(context, made, 0, nil) else { return made }
        if entries.count >= limit { removeAll() }
        JSValueProtect(context, made)
        remove(name)
        entries[name] = Entry(value: value, javaScript: made, snapshot: snapshot)
        return made
    }

    /// The variable's original value when the script left `final` exactly as it was passed in.
    func unchangedValue(_ name: String, final: JSValueRef) -> JSONValue? {
        guard let entry = entries[name], JSValueIsStrictEqual(context, entry.javaScript, final) else { return nil }
        guard isUnchanged(entry) else {
            remove(name)
            return nil
        }
        return entry.value
    }

    private func isUnchanged(_ entry: Entry) -> Bool {
        var exception: JSValueRef?
        guard let now = JSValueCreateJSONString(context, entry.javaScript, 0, &exception), exception == nil else {
            return false
        }
        defer { JSStringRelease(now) }
        return JSStringIsEqual(now, entry.snapshot)
    }

    private func remove(_ name: String) {
        guard let entry = entries.removeValue(forKey: name) else { return }
        JSValueUnprotect(context, entry.javaScript)
        JSStringRelease(entry.snapshot)
    }

    /// Forgets every value; needed before the context is released.
    func removeAll() {
        for name in Array(entries.keys) { remove(name) }
    }
}
