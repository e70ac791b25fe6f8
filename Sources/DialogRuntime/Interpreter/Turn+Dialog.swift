import DialogModel
import Foundation
import ParleyJSON
import Scripting
import Understanding

extension Turn {
    // MARK: - Dialog nodes

    nonisolated(nonsending) mutating func executeDialog(_ node: Node, _ spec: DialogCallSpec) async -> Flow {
        guard let caller = state.current?.task, let task = compiled.task(spec.task) else {
            report(node: node, task: state.current?.task ?? "", "calls task '\(spec.task)', which does not exist")
            say(standard(responses.scriptFailed))
            return failTask()
        }
        chainedDialogs += 1
        if chainedDialogs > Turn.maximumChainedDialogs {
            report(node: node, task: caller, "chained more than \(Turn.maximumChainedDialogs) dialog nodes in one turn; stopped")
            say(standard(responses.scriptFailed))
            return failTask()
        }
        var preassigned: [String: JSONValue] = [:]
        for assignment in spec.preAssignments {
            if let expression = Turn.singlePlaceholder(assignment.value.text),
                let value = try? engine.evaluate(expression: expression, variables: scriptVariables())
            {
                if !value.isNull { preassigned[assignment.entity] = value }
            } else if let text = render(assignment.value, in: node), !text.isEmpty {
                preassigned[assignment.entity] = .string(text)
            }
        }
        // Text goes through the called entity's type, as if the user had answered: "true" becomes a yes.
        let specs = compiled.entitySpecs(of: task)
        for (name, value) in preassigned {
            guard case .string(let text) = value, let entity = specs.first(where: { $0.name == name }) else { continue }
            let recognition = recognizer(for: entity).recognize(text)
            if case .value(let recognized, _) = recognition { preassigned[name] = recognized }
        }
        trace(node.id, "calls \(task.name)" + (spec.returnsAfter ? "" : " and ends \(caller)"))
        if !spec.returnsAfter {
            state.stack.removeLast()
            traceTask("ended", task: caller)
        }
        await startTask(task, utterance: nil, preassigned: preassigned)
        return .wait
    }

    /// Copies values from a finished called task into its caller, as the dialog node says.
    mutating func applyPostAssignments(_ spec: DialogCallSpec, from finished: TaskFrame, in node: Node) {
        guard !spec.postAssignments.isEmpty else { return }
        var childView = finished.context
        childView["session"] = state.session
        childView["history"] = .array(state.history)
        let childVariables: [String: JSONValue] = ["context": childView, "env": compiled.variables]
        for assignment in spec.postAssignments {
            let value: JSONValue
            do {
                if let expression = Turn.singlePlaceholder(assignment.value.text) {
                    value = try engine.evaluate(expression: expression, variables: childVariables)
                } else {
                    value = .string(try engine.render(assignment.value.text, variables: childVariables))
                }
            } catch {
                report(at: assignment.value.location, task: state.current?.task ?? "", node: node.id, "post-assignment failed: \(error)")
                continue
            }
            setContextValue(value, atPath: assignment.path)
        }
    }
}
