import CJavaScriptCore
public import ParleyJSON
import Synchronization

/// A JavaScript engine for dialog scripts, conditions and `{{ }}` templates.
///
/// Each engine owns one JavaScriptCore context with its own time limit, created the first time a
/// call needs JavaScript: conditions, expressions and templates that only read or compare values
/// are answered without it, so many conversations never pay for a context. It is not thread-safe:
/// confine it to one thread or one actor (for example the conversation that uses it). Values go
/// in and out as `JSONValue`; no JavaScriptCore reference leaves the engine.
///
/// Variables passed to a call are in scope for that call only (their names must be JavaScript
/// identifiers). Scripts run as function bodies, so their `let`/`var` declarations do not outlive
/// the call; assigning to an undeclared name does create a global that later calls on the same
/// engine can see, as in any browser.
/// The only host function is `print(...)`: bare JavaScriptCore has no file or network access.
public final class ScriptEngine {
    /// How long one call may run JavaScript before it is stopped.
    public let timeLimit: Duration
    /// Scripts run in the context before anything else, whose functions every call can use.
    public let prelude: [PreludeScript]

    let state = EngineState()
    /// The JavaScriptCore side, once a call has needed it.
    private var realmIfCreated: Realm?
    private var validNames: Set<String> = []
    private let propertyNames = PropertyNameCache(limit: ScriptEngine.cacheLimit * 4)
    var templates: [String: Template] = [:]
    private var shortcuts: [String: Shortcut] = [:]

    /// Caches stay small: dialogs hold a bounded set of scripts, and a reset is cheap.
    static let cacheLimit = 1024

    /// Creates an engine whose calls each stop after `timeLimit`.
    ///
    /// - Throws: ``ScriptError`` of kind `.invalidConfiguration` when the limit is not positive,
    ///   `.engineFailure` when JavaScriptCore cannot create a context.
    public init(timeLimit: Duration = .milliseconds(100), prelude: [PreludeScript] = []) throws(ScriptError) {
        guard timeLimit > .zero else {
            throw ScriptError(
                kind: .invalidConfiguration, message: "the script time limit must be positive, not \(timeLimit)")
        }
        self.timeLimit = timeLimit
        self.prelude = prelude
    }

    /// The engine's JavaScriptCore context and what lives in it, created on first use.
    func realm() throws(ScriptError) -> Realm {
        if let realmIfCreated { return realmIfCreated }
        let realm = try Realm(timeLimit: timeLimit, state: state)
        for script in prelude { try realm.run(script) }
        realmIfCreated = realm
        return realm
    }

    // MARK: Public API

    /// The value of a JavaScript expression, such as `context.entities.amount * 2`.
    ///
    /// The result becomes JSON the way `JSON.stringify` sees it: `undefined`, functions and
    /// non-finite numbers become `null` (and are left out of objects), dates become ISO text.
    /// - Throws: ``ScriptError`` when the expression does not compile, throws, or runs too long,
    ///   or (`.invalidConfiguration`) when a variable name is not a JavaScript identifier.
    public func evaluate(expression: String, variables: [String: JSONValue]) throws(ScriptError) -> JSONValue {
        state.printed.removeAll(keepingCapacity: true)
        try checkNames(of: variables)
        if case .path(let path) = shortcut(for: expression) {
            switch Shortcut.read(path, in: variables, inherits: inherits) {
            case .undefined:
                return .null
            case .value(let value) where Shortcut.survivesRoundTrip(value):
                return value
            case .value, .needsJavaScript:
                break
            }
        }
        return try withArguments(variables) { (arguments) throws(ScriptError) -> JSONValue in
            let function = try compile(expression, as: .expression, parameters: arguments.names)
            return try convert(try call(function, with: arguments)) ?? .null
        }
    }

    /// Whether a JavaScript condition is truthy, such as `context.svc.response.statusCode == 201`.
    ///
    /// - Throws: ``ScriptError`` when the condition does not compile, throws, or runs too long,
    ///   or (`.invalidConfiguration`) when a variable name is not a JavaScript identifier.
    public func evaluateCondition(_ condition: String, variables: [String: JSONValue]) throws(ScriptError) -> Bool {
        state.printed.removeAll(keepingCapacity: true)
        try checkNames(of: variables)
        switch shortcut(for: condition) {
        case .path(let path):
            if let truthy = Shortcut.isTruthy(Shortcut.read(path, in: variables, inherits: inherits)) { return truthy }
        case .comparison(let path, let comparison, let literal):
            if let outcome = Shortcut.compare(Shortcut.read(path, in: variables, inherits: inherits), comparison, literal) {
                return outcome
            }
        case .other:
            break
        }
        return try withArguments(variables) { (arguments) throws(ScriptError) -> Bool in
            let function = try compile(condition, as: .expression, parameters: arguments.names)
            return JSValueToBoolean(try realm().context, try call(function, with: arguments))
        }
    }

    /// Runs a script, collecting what it prints and the variables as it leaves them.
    ///
    /// `print(a, b)` records one line, its arguments joined by a space: strings as they are,
    /// objects and arrays as JSON, other values as `String(value)` gives them.
    /// - Throws: ``ScriptError`` when the script does not compile, throws, runs too long, or
    ///   leaves a variable that cannot become JSON (such as a cycle); `.invalidConfiguration`
    ///   when a variable name is not a JavaScript identifier.
    public func run(script: String, variables: [String: JSONValue]) throws(ScriptError) -> ScriptRun {
        state.printed.removeAll(keepingCapacity: true)
        return try withArguments(variables) { (arguments) throws(ScriptError) -> ScriptRun in
            let realm = try realm()
            let context = realm.context
            let function = try compile(script, as: .script, parameters: arguments.names)
            let result = try call(function, with: arguments)
            JSValueProtect(context, result)
            defer { JSValueUnprotect(context, result) }
            guard let finals = JSValueToObject(context, result, nil) else {
                throw ScriptError(kind: .engineFailure, message: "a script did not hand back its variables")
            }
            var after: [String: JSONValue] = [:]
            after.reserveCapacity(arguments.names.count)
            for (index, name) in arguments.names.enumerated() {
                var exception: JSValueRef?
                let value = JSObjectGetPropertyAtIndex(context, finals, UInt32(index), &exception)
                try throwIfPending(exception, in: context)
                guard let value else { continue }
                if let unchanged = realm.bound.unchangedValue(name, final: value) {
                    after[name] = unchanged
                } else if let converted = try convert(value) {
                    after[name] = converted
                }
            }
            return ScriptRun(printed: state.printed, variables: after)
        }
    }

    // MARK: Compiling and calling

    struct CompiledKey: Hashable {
        let mode: SourceMode
        let source: String
        let parameters: [String]
    }

    /// A compiled wrapper and how far it shifts the source's first line.
    struct Compiled {
        let function: JSObjectRef
        let firstLineOffset: Int
    }

    /// The function for `source` with `parameters`, compiled once and then reused.
    func compile(_ source: String, as mode: SourceMode, parameters: [String]) throws(ScriptError) -> Compiled {
        let key = CompiledKey(mode: mode, source: source, parameters: parameters)
        let realm = try realm()
        if let cached = realm.compiled[key] { return cached }
        let context = realm.context
        var exception: JSValueRef?
        let value = withJSString(mode.wrap(source, parameters: parameters)) {
            JSEvaluateScript(context, $0, nil, nil, 1, &exception)
        }
        if exception != nil {
            // Evaluating the wrapper only creates a function, so any failure is a syntax error.
            throw SyntaxErrorLocator(context: context).syntaxError(in: source, mode: mode)
                ?? ScriptError(kind: .syntax, message: "SyntaxError: the source does not compile")
        }
        guard let value, let function = JSValueToObject(context, value, nil), JSObjectIsFunction(context, function)
        else {
            throw ScriptError(kind: .engineFailure, message: "compiling a script did not produce a function")
        }
        if realm.compiled.count >= Self.cacheLimit {
            for old in realm.compiled.values { JSValueUnprotect(context, old.function) }
            realm.compiled.removeAll(keepingCapacity: true)
        }
        JSValueProtect(context, function)
        let entry = Compiled(function: function, firstLineOffset: mode.prefix(parameters: parameters).utf16.count)
        realm.compiled[key] = entry
        return entry
    }

    func call(_ compiled: Compiled, with arguments: Arguments) throws(ScriptError) -> JSValueRef {
        let context = try realm().context
        state.timedOut = false
        var exception: JSValueRef?
        let result = JSObjectCallAsFunction(
            context, compiled.function, nil, arguments.values.count, arguments.values, &exception)
        if let exception {
            if state.timedOut { throw timeLimitError() }
            throw ScriptError(
                exception: exception, in: context, kind: .runtime, firstLineOffset: compiled.firstLineOffset)
        }
        return result ?? JSValueMakeUndefined(context)
    }

    /// Converts a result to JSON; getters and `toJSON` may run script, so the limit still applies.
    func convert(_ value: JSValueRef) throws(ScriptError) -> JSONValue? {
        let context = try realm().context
        JSValueProtect(context, value)
        defer { JSValueUnprotect(context, value) }
        do {
            return try JSBridge(context: context).jsonValue(of: value)
        } catch {
            throw state.timedOut ? timeLimitError() : error
        }
    }

    private func throwIfPending(_ exception: JSValueRef?, in context: JSContextRef) throws(ScriptError) {
        guard let exception else { return }
        if state.timedOut { throw timeLimitError() }
        throw ScriptError(exception: exception, in: context, kind: .runtime, firstLineOffset: 0)
    }

    private func timeLimitError() -> ScriptError {
        let milliseconds =
            Double(timeLimit.components.seconds) * 1000
            + Double(timeLimit.components.attoseconds) / 1e15
        return ScriptError(
            kind: .timeLimitExceeded,
            message: "the script was stopped after running longer than \(JSONValue.format(number: milliseconds)) ms")
    }

    // MARK: Variables

    /// A call's variables as JavaScript values, in parameter order.
    struct Arguments {
        let names: [String]
        let values: [JSValueRef?]
    }

    /// Converts `variables` to JavaScript for the duration of `body`.
    func withArguments<Result>(
        _ variables: [String: JSONValue], _ body: (Arguments) throws(ScriptError) -> Result
    ) throws(ScriptError) -> Result {
        try checkNames(of: variables)
        let realm = try realm()
        let context = realm.context
        let names = variables.keys.sorted()
        let bridge = JSBridge(context: context, names: propertyNames)
        var values: [JSValueRef?] = []
        values.reserveCapacity(names.count)
        // Values held only by a Swift array are invisible to the garbage collector: protect them.
        defer { for case let value? in values { JSValueUnprotect(context, value) } }
        for name in names {
            guard let variable = variables[name] else { continue }
            let value = realm.bound.javaScriptValue(name, for: variable, bridge: bridge)
            JSValueProtect(context, value)
            values.append(value)
        }
        return try body(Arguments(names: names, values: values))
    }

    /// Throws when a variable name cannot be a function parameter, in name order.
    func checkNames(of variables: [String: JSONValue]) throws(ScriptError) {
        guard variables.keys.contains(where: { !validNames.contains($0) }) else { return }
        for name in variables.keys.sorted() where !validNames.contains(name) {
            if let problem = VariableName.problem(with: name) {
                throw ScriptError(kind: .invalidConfiguration, message: problem)
            }
            if validNames.count >= Self.cacheLimit { validNames.removeAll(keepingCapacity: true) }
            validNames.insert(name)
        }
    }

    /// How `source` can be answered without JavaScript, parsed once.
    private func shortcut(for source: String) -> Shortcut {
        if let cached = shortcuts[source] { return cached }
        let parsed = Shortcut(parsing: source)
        if shortcuts.count >= Self.cacheLimit { shortcuts.removeAll(keepingCapacity: true) }
        shortcuts[source] = parsed
        return parsed
    }

    /// Whether an object (or an array) made from JSON would find `key` on its prototype chain.
    private func inherits(_ key: String, isArray: Bool) -> Bool {
        guard let realm = try? realm(), let prototype = isArray ? realm.arrayPrototype : realm.objectPrototype else { return true }
        return withJSString(key) { JSObjectHasProperty(realm.context, prototype, $0) }
    }

    /// Whether the global object has `name` (a built-in such as `Math`), without running script.
    func globalExists(_ name: String) -> Bool {
        guard let realm = try? realm() else { return false }
        return withJSString(name) { JSObjectHasProperty(realm.context, realm.global, $0) }
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

/// What the engine's C callbacks share with it: lines printed and whether the limit fired.
final class EngineState {
    var printed: [String] = []
    var timedOut = false
}

/// JavaScriptCore virtual machines (context groups) no realm is using, kept for the next one.
///
/// Creating a machine costs several times more than a global context in an existing one, and a
/// replay or a server makes engines all the time. A machine serves one realm at a time, so its time
/// limit and the state its callback points at are that realm's alone; each realm still gets a fresh
/// global context, so nothing a script leaves behind (globals, changed prototypes) reaches the next.
private enum VirtualMachines {
    private static let idle = Mutex<[UnsafeGroup]>([])
    /// Enough for a busy machine's parallel conversations; more are released.
    private static let limit = 16

    /// A wrapper that lets idle machines sit in a `Mutex`; only one realm ever uses a machine at a time.
    private struct UnsafeGroup: @unchecked Sendable {
        let group: JSContextGroupRef
    }

    static func take() -> JSContextGroupRef? {
        if let reused = idle.withLock({ $0.popLast() }) { return reused.group }
        return JSContextGroupCreate()
    }

    static func give(back group: JSContextGroupRef) {
        let kept = idle.withLock { idle in
            guard idle.count < limit else { return false }
            idle.append(UnsafeGroup(group: group))
            return true
        }
        if !kept { JSContextGroupRelease(group) }
    }
}

/// One JavaScriptCore context with its time limit, `print()`, and what the engine caches inside it.
final class Realm {
    private let group: JSContextGroupRef
    let context: JSGlobalContextRef
    let global: JSObjectRef
    let bound: BoundVariables
    var compiled: [ScriptEngine.CompiledKey: ScriptEngine.Compiled] = [:]
    /// What objects and arrays made from JSON inherit from; scripts may add to them, so a shortcut
    /// asks them before it calls a property missing.
    let objectPrototype: JSObjectRef?
    let arrayPrototype: JSObjectRef?
    /// Kept alive as long as the group whose time-limit callback points at it.
    private let state: EngineState

    init(timeLimit: Duration, state: EngineState) throws(ScriptError) {
        guard let group = VirtualMachines.take() else {
            throw ScriptError(kind: .engineFailure, message: "JavaScriptCore could not create a context group")
        }
        guard let context = JSGlobalContextCreateInGroup(group, nil) else {
            VirtualMachines.give(back: group)
            throw ScriptError(kind: .engineFailure, message: "JavaScriptCore could not create a context")
        }
        guard let global = JSContextGetGlobalObject(context) else {
            JSGlobalContextRelease(context)
            VirtualMachines.give(back: group)
            throw ScriptError(kind: .engineFailure, message: "JavaScriptCore gave a context without a global object")
        }
        self.group = group
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

        let seconds = Double(timeLimit.components.seconds) + Double(timeLimit.components.attoseconds) / 1e18
        // The state outlives the group: deinit releases the group before the state goes.
        JSContextGroupSetExecutionTimeLimit(
            group, seconds,
            { _, pointer in
                guard let pointer else { return true }
                Unmanaged<EngineState>.fromOpaque(pointer).takeUnretainedValue().timedOut = true
                return true
            },
            Unmanaged.passUnretained(state).toOpaque())
        Self.installPrint(in: context, global: global, state: state)
    }

    deinit {
        for entry in compiled.values { JSValueUnprotect(context, entry.function) }
        for prototype in [objectPrototype, arrayPrototype] {
            if let prototype { JSValueUnprotect(context, prototype) }
        }
        bound.removeAll()
        JSContextGroupClearExecutionTimeLimit(group)
        JSGlobalContextRelease(context)
        VirtualMachines.give(back: group)
    }

    /// Runs a prelude script at the top level of the context, within the time limit.
    func run(_ script: PreludeScript) throws(ScriptError) {
        state.timedOut = false
        var exception: JSValueRef?
        withJSString(script.source) { source in
            withJSString(script.file) { file in
                _ = JSEvaluateScript(context, source, nil, file, 1, &exception)
            }
        }
        guard let exception else { return }
        if state.timedOut {
            throw ScriptError(kind: .timeLimitExceeded, message: "the bot functions in \(script.file) ran too long when loading")
        }
        throw ScriptError(exception: exception, in: context, kind: .runtime, firstLineOffset: 0)
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
            state.printed.append(parts.joined(separator: " "))
            return JSValueMakeUndefined(context)
        }
        let printClass = JSClassCreate(&definition)
        defer { JSClassRelease(printClass) }
        let function = JSObjectMake(context, printClass, Unmanaged.passRetained(state).toOpaque())
        let attributes = JSPropertyAttributes(kJSPropertyAttributeReadOnly | kJSPropertyAttributeDontDelete)
        withJSString("print") { JSObjectSetProperty(context, global, $0, function, attributes, nil) }
    }
}
