import CJavaScriptCore
public import ParleyJSON

/// A JavaScript engine for dialog scripts, conditions and `{{ }}` templates.
///
/// Each engine owns one JavaScriptCore global context, created the first time a call needs
/// JavaScript: conditions, expressions and templates that only read or compare values are answered
/// without it, so many conversations never pay for a context. Engines made on one ``ScriptMachine``
/// share its virtual machine and its limits; an engine made with limits alone has a machine of its own.
/// It is not thread-safe: confine it (and the other engines on its machine) to one thread or one actor
/// (for example the runtime whose conversations use it). Values go in and out as `JSONValue`; no
/// JavaScriptCore reference leaves the engine.
///
/// Variables passed to a call are in scope for that call only (their names must be JavaScript
/// identifiers). Scripts run as function bodies, so their `let`/`var` declarations do not outlive
/// the call; assigning to an undeclared name does create a global that later calls on the same
/// engine can see, as in any browser, but no other engine sees it, nor a changed prototype.
/// The only host function is `print(...)`: bare JavaScriptCore has no file or network access.
///
/// Each call is stopped when it runs longer than the machine's time limit or grows the process by
/// more than its memory limit; after a memory stop the engine starts over with a fresh context.
/// What a call prints is kept up to ``PrintLimit``.
public final class ScriptEngine {
    /// The virtual machine and limits the engine runs on.
    public let machine: ScriptMachine
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

    /// How long one call may run JavaScript before it is stopped.
    public var timeLimit: Duration { machine.timeLimit }
    /// How much one call may grow the process, in bytes, before it is stopped.
    public var memoryLimit: Int { machine.memoryLimit }

    /// Creates an engine on a machine of its own, whose calls each stop after `timeLimit` or after
    /// growing the process by `memoryLimit` bytes.
    ///
    /// - Throws: ``ScriptError`` of kind `.invalidConfiguration` when a limit is not positive.
    public convenience init(
        timeLimit: Duration = .milliseconds(100), memoryLimit: Int = ScriptMachine.defaultMemoryLimit,
        prelude: [PreludeScript] = []
    ) throws(ScriptError) {
        self.init(machine: try ScriptMachine(timeLimit: timeLimit, memoryLimit: memoryLimit), prelude: prelude)
    }

    /// Creates an engine with a global context of its own on a shared machine.
    public init(machine: ScriptMachine, prelude: [PreludeScript] = []) {
        self.machine = machine
        self.prelude = prelude
    }

    /// The engine's JavaScriptCore context and what lives in it, created on first use.
    func realm() throws(ScriptError) -> Realm {
        if let realmIfCreated { return realmIfCreated }
        let realm = try Realm(machine: machine, state: state)
        for script in prelude { try realm.run(script) }
        realmIfCreated = realm
        return realm
    }

    /// Runs one public call: starts its output over, and after a script was stopped for its memory,
    /// drops the context it filled so the next call starts from a fresh one.
    func entering<Result>(_ body: () throws(ScriptError) -> Result) throws(ScriptError) -> Result {
        state.beginOutput()
        defer {
            if state.stop == .memoryLimit {
                state.stop = nil
                realmIfCreated = nil
            }
        }
        return try body()
    }

    // MARK: Public API

    /// The value of a JavaScript expression, such as `context.entities.amount * 2`.
    ///
    /// The result becomes JSON the way `JSON.stringify` sees it: `undefined`, functions and
    /// non-finite numbers become `null` (and are left out of objects), dates become ISO text.
    /// - Throws: ``ScriptError`` when the expression does not compile, throws, runs too long or
    ///   allocates too much, or (`.invalidConfiguration`) when a variable name is not a JavaScript identifier.
    public func evaluate(expression: String, variables: [String: JSONValue]) throws(ScriptError) -> JSONValue {
        try entering { () throws(ScriptError) -> JSONValue in try evaluateOnce(expression, variables: variables) }
    }

    private func evaluateOnce(_ expression: String, variables: [String: JSONValue]) throws(ScriptError) -> JSONValue {
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
    /// - Throws: ``ScriptError`` when the condition does not compile, throws, runs too long or
    ///   allocates too much, or (`.invalidConfiguration`) when a variable name is not a JavaScript identifier.
    public func evaluateCondition(_ condition: String, variables: [String: JSONValue]) throws(ScriptError) -> Bool {
        try entering { () throws(ScriptError) -> Bool in try evaluateConditionOnce(condition, variables: variables) }
    }

    private func evaluateConditionOnce(_ condition: String, variables: [String: JSONValue]) throws(ScriptError) -> Bool {
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
    /// objects and arrays as JSON, other values as `String(value)` gives them. Lines past
    /// ``PrintLimit`` are dropped (the last one kept may be cut short), and the run says so.
    /// - Throws: ``ScriptError`` when the script does not compile, throws, runs too long, allocates
    ///   too much, or leaves a variable that cannot become JSON (such as a cycle);
    ///   `.invalidConfiguration` when a variable name is not a JavaScript identifier.
    public func run(script: String, variables: [String: JSONValue]) throws(ScriptError) -> ScriptRun {
        try entering { () throws(ScriptError) -> ScriptRun in try runOnce(script, variables: variables) }
    }

    private func runOnce(_ script: String, variables: [String: JSONValue]) throws(ScriptError) -> ScriptRun {
        try withArguments(variables) { (arguments) throws(ScriptError) -> ScriptRun in
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
            return ScriptRun(printed: state.printed, variables: after, printTruncated: state.printTruncated)
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
        // Compiling enters JavaScript too: its limits start over here, not where an earlier call left them (a call
        // stopped for its memory leaves the process large until its heap is freed).
        state.beginCall()
        var exception: JSValueRef?
        let value = withJSString(mode.wrap(source, parameters: parameters)) {
            JSEvaluateScript(context, $0, nil, nil, 1, &exception)
        }
        if exception != nil {
            if let stopped = stopError() { throw stopped }
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
        state.beginCall()
        var exception: JSValueRef?
        let result = JSObjectCallAsFunction(
            context, compiled.function, nil, arguments.values.count, arguments.values, &exception)
        if let exception {
            if let stopped = stopError() { throw stopped }
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
            throw stopError() ?? error
        }
    }

    private func throwIfPending(_ exception: JSValueRef?, in context: JSContextRef) throws(ScriptError) {
        guard let exception else { return }
        if let stopped = stopError() { throw stopped }
        throw ScriptError(exception: exception, in: context, kind: .runtime, firstLineOffset: 0)
    }

    /// The error for a script the machine's watch stopped, if it stopped one.
    private func stopError() -> ScriptError? {
        switch state.stop {
        case .timeLimit?:
            let milliseconds =
                Double(timeLimit.components.seconds) * 1000
                + Double(timeLimit.components.attoseconds) / 1e15
            return ScriptError(
                kind: .timeLimitExceeded,
                message: "the script was stopped after running longer than \(JSONValue.format(number: milliseconds)) ms")
        case .memoryLimit?:
            return ScriptError(
                kind: .memoryLimitExceeded,
                message: "the script was stopped after allocating more than \(ScriptError.describe(bytes: memoryLimit))")
        case nil:
            return nil
        }
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
