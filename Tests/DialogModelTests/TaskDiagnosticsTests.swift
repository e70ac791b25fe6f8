import DialogModel
import Testing

/// The first three lines of most test tasks; their nodes start on line 4.
private let header = """
    dialog: T
    intent: { name: T, utterances: [go] }
    nodes:

    """

/// Each kind of mistake in a dialog task file, reported as `file:line:col: error: message`.
@Suite struct TaskDiagnosticsTests {
    /// YAML that does not parse is reported at the place the parser stopped.
    @Test func yamlSyntaxError() {
        #expect(
            errors("dialog: T\nnodes: [\n  - a\n") == [
                "Task.yaml:3:3: error: invalid YAML: did not find expected node content (while parsing a flow node at line 3)"
            ])
    }

    /// A key given twice in one mapping is reported.
    @Test func duplicateKey() {
        #expect(errors("dialog: T\ndialog: U\n") == ["Task.yaml:1:1: error: duplicate key 'dialog' in the same mapping"])
    }

    /// A confirmation's choices are two texts, how yes and no are offered.
    @Test func confirmationChoicesAreTwo() {
        let yaml =
            header + """
                  - id: more
                    confirmation: { prompt: "More?", choices: [more, stop, later] }
                """
        #expect(errors(yaml) == ["Task.yaml:5:47: error: 'choices' takes two texts, how yes and no are offered: [more, stop]"])
    }

    /// An unknown key is reported with the closest allowed key.
    @Test func unknownKeySuggestsTheClosest() {
        let yaml =
            header + """
                  - id: a
                    entity: { type: string, promt: "Name?" }
                """
        #expect(
            errors(yaml) == [
                "Task.yaml:5:13: error: missing required key 'prompt' in a mandatory entity (what to ask the user)",
                "Task.yaml:5:29: error: unknown key 'promt' in an entity; did you mean 'prompt'?",
            ])
    }

    /// An unknown top-level key is reported with a suggestion.
    @Test func unknownTaskKey() {
        #expect(
            errors(header + "  - message: Hi\nintegraton: salesforce\n") == [
                "Task.yaml:5:1: error: unknown key 'integraton' in a dialog task; did you mean 'integration'?"
            ])
    }

    /// The task's name, intent and nodes are required.
    @Test func missingRequiredTaskKeys() {
        #expect(
            errors("description: nothing else\n") == [
                "Task.yaml:1:1: error: missing required key 'dialog' in a dialog task (the task's name)",
                "Task.yaml:1:1: error: missing required key 'intent' in a dialog task (the intent's name and utterances)",
                "Task.yaml:1:1: error: missing required key 'nodes' in a dialog task (the steps of the task)",
            ])
    }

    /// A value of the wrong type names what was expected and what was found.
    @Test func wrongValueTypes() {
        let yaml =
            header + """
                  - entity: { type: number, prompt: "How many?", retries: three, extract: maybe }
                  - message: { script: [1, 2] }
                """
        #expect(
            errors(yaml) == [
                "Task.yaml:4:59: error: expected a whole number for 'retries', found text 'three'",
                "Task.yaml:4:75: error: expected true or false for 'extract', found text 'maybe'",
                "Task.yaml:5:24: error: expected text for 'script', found a list",
            ])
    }

    /// A service needs a url; a node needs a type.
    @Test func missingServiceURLAndNodeType() {
        let yaml =
            header + """
                  - id: call
                    service: { method: POST }
                  - id: nothing
                """
        #expect(
            errors(yaml) == [
                "Task.yaml:5:14: error: missing required key 'url' in a service (where to send the request)",
                "Task.yaml:6:5: error: a node needs a type: one of entity, message, script, service, confirmation, logic, dialog, end",
            ])
    }

    /// A node has exactly one type.
    @Test func twoNodeTypes() {
        #expect(
            errors(header + "  - message: Hi\n    script: \"x = 1\"\n") == [
                "Task.yaml:5:5: error: a node has exactly one type, but this one has both 'message' and 'script'"
            ])
    }

    /// Node ids are unique within a task.
    @Test func duplicateNodeIDs() {
        let yaml =
            header + """
                  - id: greet
                    message: Hi
                  - id: greet
                    message: Hello
                """
        #expect(errors(yaml) == ["Task.yaml:6:9: error: duplicate node id 'greet'; it is already used at line 4"])
    }

    /// Node ids are identifiers.
    @Test func invalidNodeID() {
        #expect(
            errors(header + "  - id: 2nd-step\n    message: Hi\n") == [
                "Task.yaml:4:9: error: invalid node id '2nd-step'; ids start with a letter or '_' and hold only letters, digits and '_'"
            ])
    }

    /// A transition to an unknown node suggests the closest node id.
    @Test func unknownTransitionTarget() {
        let yaml =
            header + """
                  - id: ask
                    entity: { type: yesNo, prompt: "OK?" }
                    transitions:
                      - { if: "context.entities.ask", then: sucess }
                      - { else: end }
                  - id: success
                    message: Done
                """
        #expect(errors(yaml) == ["Task.yaml:7:45: error: unknown node 'sucess'; did you mean 'success'?"])
    }

    /// Transitions must end with an `else`.
    @Test func missingFallback() {
        let yaml =
            header + """
                  - id: ask
                    entity: { type: yesNo, prompt: "OK?" }
                    transitions:
                      - { if: "context.entities.ask", then: done }
                  - id: done
                    message: Done
                """
        #expect(
            errors(yaml) == [
                "Task.yaml:7:9: error: missing fallback: the last transition must be '- else: <node id or end>'"
            ])
    }

    /// Nodes nothing leads to are reported as warnings, not errors.
    @Test func unreachableNodeIsAWarning() {
        let yaml =
            header + """
                  - id: hello
                    message: Hi
                    next: end
                  - id: orphan
                    message: Never said
                """
        #expect(diagnostics(yaml) == ["Task.yaml:7:5: warning: node 'orphan' is never reached"])
    }

    /// Unknown entity types suggest the closest type.
    @Test func unknownEntityType() {
        #expect(
            errors(header + "  - entity: { type: strng, prompt: Name? }\n") == [
                "Task.yaml:4:21: error: unknown entity type 'strng'; did you mean 'string'?"
            ])
    }

    /// Service timeouts are 1 to 20 seconds; retries 1 to 10.
    @Test func outOfRangeTimeoutAndRetries() {
        let yaml =
            header + """
                  - entity: { type: email, prompt: "Email?", retries: 11 }
                  - service: { url: "https://example.com", timeout: 30 }
                """
        #expect(
            errors(yaml) == [
                "Task.yaml:4:55: error: 'retries' must be between 1 and 10, not 11",
                "Task.yaml:5:53: error: 'timeout' must be between 1 and 20 seconds, not 30",
            ])
    }

    /// Regular expressions must compile, in regex entities and in rules.
    @Test func invalidRegexes() {
        let yaml =
            header + """
                  - entity: { type: regex, pattern: "[A-Z", prompt: Code? }
                  - entity: { type: string, prompt: Name?, rules: { pattern: "(a" } }
                """
        #expect(
            errors(yaml) == [
                "Task.yaml:4:37: error: invalid regular expression '[A-Z' in 'pattern'",
                "Task.yaml:5:62: error: invalid regular expression '(a' in 'pattern'",
            ])
    }

    /// A list entity needs values; type-specific keys belong to their type.
    @Test func listWithoutValues() {
        let yaml =
            header + """
                  - entity: { type: list, prompt: Which? }
                  - entity: { type: string, prompt: Name?, values: [a] }
                """
        #expect(
            errors(yaml) == [
                "Task.yaml:4:13: error: missing required key 'values' in a list entity (the values the user picks from, or 'valuesFrom' with a context path)",
                "Task.yaml:5:44: error: 'values' applies only to list entities, and this one is string",
            ])
    }

    /// Placeholders must name entities of the task.
    @Test func placeholderWithUnknownEntity() {
        let yaml =
            header + """
                  - id: company
                    entity: { type: string, prompt: "Company?" }
                  - message: "Thanks, {{context.entities.compny}} it is."
                """
        #expect(errors(yaml) == ["Task.yaml:6:25: error: unknown entity 'compny'; did you mean 'company'?"])
    }

    /// `context.<id>.response` must name a service node.
    @Test func placeholderWithUnknownServiceNode() {
        let yaml =
            header + """
                  - id: fetchLead
                    service: { url: "https://example.com/lead" }
                  - id: show
                    message: "Status {{context.fetchLed.response.statusCode}}, {{context.show.response.body}}"
                """
        #expect(
            errors(yaml) == [
                "Task.yaml:7:24: error: unknown service node 'fetchLed'; did you mean 'fetchLead'?",
                "Task.yaml:7:66: error: node 'show' is not a service node, so it has no response",
            ])
    }

    /// `integration.*` placeholders need a task integration.
    @Test func integrationPlaceholderWithoutIntegration() {
        #expect(
            errors(header + "  - service: { url: \"{{integration.instanceUrl}}/x\" }\n") == [
                "Task.yaml:4:24: error: 'integration.instanceUrl' is only available in tasks with an 'integration'"
            ])
    }

    /// Unclosed and empty placeholders are reported.
    @Test func malformedPlaceholders() {
        #expect(
            errors(header + "  - message: \"a {{ }} b {{context.x\"\n") == [
                "Task.yaml:4:17: error: empty placeholder '{{ }}'",
                "Task.yaml:4:25: error: unclosed placeholder: '{{' without '}}'",
            ])
    }

    /// JavaScript errors in scripts are mapped to their line and column in the file.
    @Test func scriptSyntaxErrorInBlockScript() {
        let yaml =
            header + """
                  - script: |
                      var a = 1;
                      var b = @a;
                """
        #expect(errors(yaml) == ["Task.yaml:6:15: error: JavaScript error in script: unexpected '@' in statement"])
    }

    /// JavaScript errors in conditions and placeholder expressions are mapped too.
    @Test func expressionSyntaxErrors() {
        let yaml =
            header + """
                  - id: hi
                    message: "Total: {{ 1 + @2 }}"
                    transitions: [ { if: "context.x >@ 1", then: hi }, { else: end } ]
                """
        #expect(
            errors(yaml) == [
                "Task.yaml:5:29: error: JavaScript error in placeholder: unexpected '@' in expression",
                "Task.yaml:6:38: error: JavaScript error in condition: unexpected '@' in expression",
            ])
    }

    /// Without a script checker, JavaScript is not checked.
    @Test func noCheckerSkipsJavaScript() {
        #expect(errors(header + "  - script: \"@@@\"\n", checker: nil).isEmpty)
    }

    /// An intent without utterances is a warning.
    @Test func intentWithoutUtterances() {
        let yaml = "dialog: T\nintent: { name: T }\nnodes:\n  - message: Hi\n"
        #expect(
            diagnostics(yaml) == [
                "Task.yaml:2:9: warning: intent 'T' has no utterances, so users can only start it by its name"
            ])
    }

    /// Every problem in a file is reported, in file order, not just the first.
    @Test func reportsEveryProblem() {
        let yaml =
            header + """
                  - id: a
                    entity: { type: nummber, prompt: "How many?" }
                    next: b
                  - message: { script: "print(@)" }
                    next: z
                """
        #expect(
            errors(yaml) == [
                "Task.yaml:5:21: error: unknown entity type 'nummber'; did you mean 'number'?",
                "Task.yaml:6:11: error: unknown node 'b'",
                "Task.yaml:7:31: error: JavaScript error in script: unexpected '@' in statement",
                "Task.yaml:8:11: error: unknown node 'z'",
            ])
    }

    /// Unknown HTTP methods suggest the closest; a service has one kind of body.
    @Test func serviceMethodAndBody() {
        let yaml =
            header + """
                  - service: { method: PSOT, url: "https://example.com", body: { a: 1 }, text: "a=1" }
                """
        #expect(
            errors(yaml) == [
                "Task.yaml:4:24: error: unknown HTTP method 'PSOT'; use GET, POST, PUT, PATCH or DELETE; did you mean 'POST'?",
                "Task.yaml:4:74: error: a service has one body, but this one has both 'body' and 'text'",
            ])
    }

    /// Logic nodes set and remove context paths only.
    @Test func logicPathsStartWithContext() {
        let yaml =
            header + """
                  - logic: { set: { "session.count": 1 }, remove: [ "context.ok", "tmp" ] }
                """
        #expect(
            errors(yaml) == [
                "Task.yaml:4:21: error: 'session.count' is not a context path such as 'context.session.BotUserSession.lastLead'",
                "Task.yaml:4:67: error: 'tmp' is not a context path such as 'context.session.BotUserSession.lastLead'",
            ])
    }

    /// End nodes take no transitions; `next` and `transitions` do not mix; `else` comes last.
    @Test func transitionShapes() {
        let yaml =
            header + """
                  - id: a
                    message: Hi
                    next: b
                    transitions: [ { else: b } ]
                  - id: b
                    message: There
                    transitions: [ { else: c }, { if: "true", then: c } ]
                  - id: c
                    end: Bye
                    next: a
                """
        #expect(
            errors(yaml) == [
                "Task.yaml:7:5: error: a node takes 'next' or 'transitions', not both",
                "Task.yaml:10:33: error: this transition comes after 'else', so it is never taken",
                "Task.yaml:13:5: error: an end node ends the task, so it takes no 'transitions' or 'next'",
            ])
    }

    /// A confirmation needs a prompt; retries stay within 1 to 10.
    @Test func confirmationProblems() {
        #expect(
            errors(header + "  - confirmation: { yes: end, retries: 0 }\n") == [
                "Task.yaml:4:19: error: missing required key 'prompt' in a confirmation (the yes/no question)",
                "Task.yaml:4:40: error: 'retries' must be between 1 and 10, not 0",
            ])
    }
}

/// How suggestions are chosen.
@Suite struct SuggestionTests {
    /// Close misspellings, swapped letters and case differences find the intended name; far ones find none.
    @Test func closestNames() {
        #expect(
            errors(header + "  - entity: { type: Number, prompt: Count? }\n") == [
                "Task.yaml:4:21: error: unknown entity type 'Number'; did you mean 'number'?"
            ])
        #expect(
            errors(header + "  - entity: { type: emial, prompt: Email? }\n") == [
                "Task.yaml:4:21: error: unknown entity type 'emial'; did you mean 'email'?"
            ])
        #expect(
            errors(header + "  - entity: { type: colour, prompt: Colour? }\n") == [
                "Task.yaml:4:21: error: unknown entity type 'colour'"
            ])
    }
}
