import CJavaScriptCore
import Synchronization

/// A JavaScriptCore virtual machine, with the limits every script on it runs under, that several engines share.
///
/// Each engine on a machine has a global context of its own, so nothing one engine's scripts leave behind
/// (globals, changed prototypes) is seen by another; they share only the machine's heap and compiled code.
/// A context in an existing machine costs a fraction of a new machine (about 0.5 ms against 2.4 ms, and
/// 100 KB against 800 KB), so a runtime that gives each conversation an engine makes them all on one machine.
///
/// Engines on one machine run one call at a time: keep the machine and its engines on one actor or thread.
/// The JavaScriptCore machine is taken when the first engine needs JavaScript, and released with the last
/// reference to the machine.
public final class ScriptMachine {
    /// How long one call may run JavaScript before it is stopped.
    public let timeLimit: Duration
    /// How much the process may grow, in bytes, while one call runs before it is stopped.
    public let memoryLimit: Int

    /// What a script may allocate unless told otherwise: far beyond what a dialog script needs, far below
    /// what would put the process at risk.
    public static let defaultMemoryLimit = 128 * 1024 * 1024

    let watch: MachineWatch
    private var groupIfTaken: JSContextGroupRef?

    /// - Throws: ``ScriptError`` of kind `.invalidConfiguration` when a limit is not positive.
    public init(
        timeLimit: Duration = .milliseconds(100), memoryLimit: Int = ScriptMachine.defaultMemoryLimit
    ) throws(ScriptError) {
        guard timeLimit > .zero else {
            throw ScriptError(
                kind: .invalidConfiguration, message: "the script time limit must be positive, not \(timeLimit)")
        }
        guard memoryLimit > 0 else {
            throw ScriptError(
                kind: .invalidConfiguration, message: "the script memory limit must be positive, not \(memoryLimit) bytes")
        }
        self.timeLimit = timeLimit
        self.memoryLimit = memoryLimit
        self.watch = MachineWatch(timeLimit: timeLimit, memoryLimit: memoryLimit)
    }

    deinit {
        guard let groupIfTaken else { return }
        JSContextGroupClearExecutionTimeLimit(groupIfTaken)
        // A machine whose script was stopped for its memory goes, heap and all, rather than back to the pool.
        if watch.exhausted {
            JSContextGroupRelease(groupIfTaken)
        } else {
            VirtualMachines.give(back: groupIfTaken)
        }
    }

    /// The JavaScriptCore machine, with the watch set on it, taken on first use.
    func group() throws(ScriptError) -> JSContextGroupRef {
        if let groupIfTaken { return groupIfTaken }
        guard let group = VirtualMachines.take() else {
            throw ScriptError(kind: .engineFailure, message: "JavaScriptCore could not create a context group")
        }
        watch.arm(group)
        groupIfTaken = group
        return group
    }
}

/// Watches the scripts running on one machine: stops a call that runs past the time limit or grows the process
/// past the memory limit.
///
/// JavaScriptCore calls back every `period` of a call's run time. Each callback counts a period against the time
/// limit and compares the process's resident memory with what it was at the call's first callback; returning
/// `true` terminates the script, which then fails with an exception the engine turns into a ``ScriptError``.
/// Calls that finish within one period (nearly all) cost nothing. Allocation during the first period, and a
/// single built-in call that allocates a lot at once (`'x'.repeat(1e9)`), are seen only at the next callback.
final class MachineWatch {
    /// The engines' states by their global context, so a callback finds the call it is about.
    private var states: [UnsafeRawPointer: EngineState] = [:]
    let period: Double
    let periodsPerCall: Int
    let memoryLimit: Int
    /// Whether a call was stopped for its memory, so the machine's heap is not worth keeping.
    private(set) var exhausted = false

    /// Callbacks come often enough to see memory grow before it matters, and rarely enough to cost nothing.
    static let checkInterval = Duration.milliseconds(10)

    init(timeLimit: Duration, memoryLimit: Int) {
        let seconds = Double(timeLimit.components.seconds) + Double(timeLimit.components.attoseconds) / 1e18
        let interval = Double(Self.checkInterval.components.attoseconds) / 1e18
        periodsPerCall = max(1, Int((seconds / interval).rounded(.up)))
        period = seconds / Double(periodsPerCall)
        self.memoryLimit = memoryLimit
    }

    func register(_ context: JSGlobalContextRef, _ state: EngineState) {
        states[UnsafeRawPointer(context)] = state
    }

    func unregister(_ context: JSGlobalContextRef) {
        states[UnsafeRawPointer(context)] = nil
    }

    /// Sets the watch on a machine; the watch must outlive it, or clear it first.
    func arm(_ group: JSContextGroupRef) {
        JSContextGroupSetExecutionTimeLimit(
            group, period, { context, watch in MachineWatch.shouldTerminate(context, watch) },
            Unmanaged.passUnretained(self).toOpaque())
    }

    /// JavaScriptCore's callback: whether to terminate the script running in `context`.
    private static func shouldTerminate(_ context: JSContextRef?, _ pointer: UnsafeMutableRawPointer?) -> Bool {
        guard let context, let pointer else { return true }
        let watch = Unmanaged<MachineWatch>.fromOpaque(pointer).takeUnretainedValue()
        guard watch.shouldTerminate(context) else {
            // A callback that lets the script go on must set the limit again, or JavaScriptCore stops calling.
            if let group = JSContextGetGroup(context) { watch.arm(group) }
            return false
        }
        return true
    }

    private func shouldTerminate(_ context: JSContextRef) -> Bool {
        guard let global = JSContextGetGlobalContext(context), let state = states[UnsafeRawPointer(global)] else {
            // A context this watch does not know runs on the machine: stopping it is the safe answer.
            return true
        }
        state.periods += 1
        if state.periods >= periodsPerCall {
            state.stop = .timeLimit
            return true
        }
        guard let resident = ResidentMemory.bytes() else { return false }
        guard let baseline = state.memoryBaseline else {
            state.memoryBaseline = resident
            return false
        }
        if resident - baseline > memoryLimit {
            state.stop = .memoryLimit
            exhausted = true
            return true
        }
        return false
    }
}

/// JavaScriptCore virtual machines (context groups) no machine is using, kept for the next one.
///
/// Creating a machine costs several times more than a global context in an existing one, and a replay or a
/// server makes machines all the time. A pooled machine serves one ``ScriptMachine`` at a time, so its watch
/// is that machine's alone; each engine still gets a fresh global context, so nothing a script leaves behind
/// (globals, changed prototypes) reaches the next.
enum VirtualMachines {
    private static let idle = Mutex<[UnsafeGroup]>([])
    /// Enough for a busy machine's parallel runtimes; more are released.
    private static let limit = 16

    /// A wrapper that lets idle machines sit in a `Mutex`; only one ``ScriptMachine`` ever uses one at a time.
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
