import CJavaScriptCore
import ParleyJSON

/// One JavaScriptCore global context on a machine, with `print()`, and what the engine caches inside it.
final class Realm {
    /// Kept alive as long as the context it holds a machine for.
    private let machine: ScriptMachine
    let context: JSGlobalContextRef
    let global: JSObjectRef
    let bound: BoundVariables
    var compiled: [ScriptEngine.CompiledKey: ScriptEngine.Compiled] = [:]
    /// What objects and arrays made from JSON inherit from; scripts may add to them, so a shortcut
    /// asks them before it calls a property missing.
    let objectPrototype: JSObjectRef?
    let arrayPrototype: JSObjectRef?
    /// Kept alive as long as the context whose callbacks point at it.
    private let state: EngineState

    init(machine: ScriptMachine, state: EngineState) throws(ScriptError) {
        let group = try machine.group()
        guard let context = JSGlobalContextCreateInGroup(group, nil) else {
            throw ScriptError(kind: .engineFailure, message: "JavaScriptCore could not create a context")
        }
        guard let global = JSContextGetGlobalObject(context) else {
            JSGlobalContextRelease(context)
            throw ScriptError(kind: .engineFailure, message: "JavaScriptCore gave a context without a global object")
        }
        self.machine = machine
        self.context = context
        self.state = state
        self.global = global
        self.bound = BoundVariables(context: context)
        func prototype(of object: JSObjectRef) -> JSObjectRef? {
            guard let value = JSObjectGetPrototype(context, object), let prototype = JSValueToObject(context, value, nil)
            else { return nil }
            JSValueProtect(context, prototype)
            return prototype
        }
        self.objectPrototype = prototype(of: JSObjectMake(context, nil, nil))
        self.arrayPrototype = JSObjectMakeArray(context, 0, nil, nil).flatMap(prototype(of:))
        machine.watch.register(context, state)
        Self.installPrint(in: context, global: global, state: state)
    }

    deinit {
        for entry in compiled.values { JSValueUnprotect(context, entry.function) }
        for prototype in [objectPrototype, arrayPrototype] {
            if let prototype { JSValueUnprotect(context, prototype) }
        }
        bound.removeAll()
        machine.watch.unregister(context)
        JSGlobalContextRelease(context)
    }

    /// Runs a prelude script at the top level of the context, within the limits.
    func run(_ script: PreludeScript) throws(ScriptError) {
        state.beginCall()
        var exception: JSValueRef?
        withJSString(script.source) { source in
            withJSString(script.file) { file in
                _ = JSEvaluateScript(context, source, nil, file, 1, &exception)
            }
        }
        guard let exception else { return }
        switch state.stop {
        case .timeLimit?:
            throw ScriptError(kind: .timeLimitExceeded, message: "the bot functions in \(script.file) ran too long when loading")
        case .memoryLimit?:
            throw ScriptError(
                kind: .memoryLimitExceeded, message: "the bot functions in \(script.file) allocated too much memory when loading")
        case nil:
            throw ScriptError(exception: exception, in: context, kind: .runtime, firstLineOffset: 0)
        }
    }

    private static func installPrint(in context: JSGlobalContextRef, global: JSObjectRef, state: EngineState) {
        var definition = kJSClassDefinitionEmpty
        definition.finalize = { object in
            guard let pointer = JSObjectGetPrivate(object) else { return }
            Unmanaged<EngineState>.fromOpaque(pointer).release()
        }
        definition.callAsFunction = { context, function, _, count, arguments, exception in
            guard let context, let function, let pointer = JSObjectGetPrivate(function) else { return nil }
            let state = Unmanaged<EngineState>.fromOpaque(pointer).takeUnretainedValue()
            // Past the limit nothing more is kept, so nothing more is formatted either.
            guard !state.printTruncated else { return JSValueMakeUndefined(context) }
            let bridge = JSBridge(context: context)
            var parts: [String] = []
            do throws(ScriptError) {
                for index in 0..<count {
                    guard let argument = arguments?[index] else { continue }
                    parts.append(try printedText(of: argument, bridge: bridge))
                }
            } catch {
                let text = "print() could not format its argument: \(error.message)"
                let message = withJSString(text) { JSValueMakeString(context, $0) }
                exception?.pointee = JSObjectMakeError(context, 1, [message], nil)
                return nil
            }
            state.keepPrinted(parts.joined(separator: " "))
            return JSValueMakeUndefined(context)
        }
        let printClass = JSClassCreate(&definition)
        defer { JSClassRelease(printClass) }
        let function = JSObjectMake(context, printClass, Unmanaged.passRetained(state).toOpaque())
        let attributes = JSPropertyAttributes(kJSPropertyAttributeReadOnly | kJSPropertyAttributeDontDelete)
        withJSString("print") { JSObjectSetProperty(context, global, $0, function, attributes, nil) }
    }
}

/// Strings as they are, objects and arrays as JSON with sorted keys, anything else as `String(x)`.
private func printedText(of value: JSValueRef, bridge: JSBridge) throws(ScriptError) -> String {
    let context = bridge.context
    if JSValueIsString(context, value) { return try bridge.string(of: value) }
    if JSValueIsObject(context, value), let object = JSValueToObject(context, value, nil),
        !JSObjectIsFunction(context, object)
    {
        guard let json = try bridge.jsonValue(of: value) else { return try bridge.string(of: value) }
        if case .string(let text) = json { return text }  // a Date prints as its ISO text
        return json.jsonText()
    }
    return try bridge.string(of: value)
}
