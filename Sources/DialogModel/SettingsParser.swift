import ParleyJSON
internal import Yams

/// Reads `bot.yaml`: the bot's name, greeting, standard responses, integration settings, variables
/// and synonyms.
struct SettingsParser {
    static let keys = ["name", "greeting", "responses", "integrations", "env", "synonyms", "authorization"]

    private var reader: DialogFileReader

    init(yaml: String, file: String) {
        reader = DialogFileReader(file: file, text: yaml)
    }

    /// The settings, or `nil` when the file has errors, with every problem found.
    mutating func parse() -> (BotSettings?, [Diagnostic]) {
        guard let root = reader.compose(emptyMessage: "bot.yaml is empty; it needs at least the bot's 'name'"),
            let fields = reader.fields(of: root, allowed: Self.keys, in: "bot.yaml")
        else { return (nil, reader.diagnostics) }

        var settings = BotSettings(name: "", location: reader.location(of: root))
        if let node = fields["name"] {
            settings.name = reader.text(node, for: "name") ?? ""
        } else {
            reader.missing("name", in: fields, what: "bot.yaml", hint: " (the bot's name)")
        }
        if let node = fields["greeting"] { settings.greeting = reader.text(node, for: "greeting") }
        if let node = fields["responses"],
            let responses = reader.fields(of: node, allowed: StandardResponses.names, in: "'responses'")
        {
            for (name, _, value) in responses.entries {
                if let text = reader.text(value, for: name) {
                    settings.responses.setResponse(named: name, to: text)
                }
            }
        }
        if let node = fields["integrations"], let pairs = reader.pairs(of: node, in: "'integrations'") {
            for (name, _, value) in pairs {
                var strings: [(text: String, node: YAMLNode)] = []
                settings.integrations[name] = reader.json(value, strings: &strings)
            }
        }
        if let node = fields["env"], let pairs = reader.pairs(of: node, in: "'env'") {
            for (name, _, value) in pairs {
                var strings: [(text: String, node: YAMLNode)] = []
                settings.environment[name] = reader.json(value, strings: &strings)
            }
        }
        if let node = fields["synonyms"] { settings.synonyms = reader.synonyms(node, in: "'synonyms'") }
        if let node = fields["authorization"],
            let authorization = reader.fields(of: node, allowed: ["linkLifetime", "attempts", "confirmWithCode"], in: "'authorization'")
        {
            if let node = authorization["linkLifetime"], let seconds = reader.number(node, for: "linkLifetime") {
                if seconds >= 60 && seconds <= 86_400 {
                    settings.authorization.linkLifetime = seconds
                } else {
                    reader.error("'linkLifetime' is in seconds, from 60 to 86400; found \(seconds)", at: node)
                }
            }
            if let node = authorization["attempts"], let attempts = reader.integer(node, for: "attempts") {
                if attempts >= 1 && attempts <= 20 {
                    settings.authorization.attempts = attempts
                } else {
                    reader.error("'attempts' must be from 1 to 20; found \(attempts)", at: node)
                }
            }
            if let node = authorization["confirmWithCode"], let confirm = reader.boolean(node, for: "confirmWithCode") {
                settings.authorization.confirmWithCode = confirm
            }
        }
        return (reader.hasErrors ? nil : settings, reader.diagnostics)
    }
}
