import Foundation
import ParleyJSON
internal import Yams

extension TaskParser {
    static let entityKeys = [
        "type", "name", "prompt", "error", "help", "presence", "retries", "onRetriesExceeded", "default", "rules",
        "extract", "sensitive", "values", "valuesFrom", "multiple", "showValues", "pattern", "keyPrefix", "part", "fields",
        "interruptions", "examples",
    ]
    static let ruleKeys = ["minLength", "maxLength", "min", "max", "pattern"]
    static let listItemKeys = ["value", "display", "synonyms"]
    /// Keys that only one entity type takes.
    static let typeSpecificKeys: [String: String] = [
        "values": "list", "valuesFrom": "list", "multiple": "list", "showValues": "list", "pattern": "regex",
        "keyPrefix": "salesforceId", "part": "personName", "fields": "changes",
    ]
    static let changeFieldKeys = ["words", "type", "values", "keyPrefix", "part", "pattern"]

    mutating func parseEntity(_ node: YAMLNode) -> EntitySpec? {
        guard let fields = reader.fields(of: node, allowed: Self.entityKeys, in: "an entity") else { return nil }
        let name = fields["name"].flatMap { identifier($0, for: "name") }
        let presence = fields["presence"].flatMap { parsePresence($0) } ?? .mandatory

        var typeName: String?
        if let typeNode = fields["type"], let text = reader.text(typeNode, for: "type") {
            if EntityType.typeNames.contains(text) {
                typeName = text
            } else {
                reader.error(
                    "unknown entity type '\(text)'", at: typeNode,
                    suggestion: Suggestion.closest(to: text, among: EntityType.typeNames))
            }
        } else if !fields.has("type") {
            reader.missing("type", in: fields, what: "an entity", hint: " (\(EntityType.typeNames.joined(separator: ", ")))")
        }
        for (key, keyNode, _) in fields.entries {
            if let owner = Self.typeSpecificKeys[key], let typeName, typeName != owner {
                reader.error("'\(key)' applies only to \(owner) entities, and this one is \(typeName)", at: keyNode)
            }
        }
        let type = typeName.flatMap { entityType($0, fields) }

        var prompts: [Template] = []
        if let node = fields["prompt"] {
            prompts = templateList(node, for: "prompt") ?? []
        } else if presence != .hidden {
            reader.missing("prompt", in: fields, what: "a \(presence.rawValue) entity", hint: " (what to ask the user)")
        }
        let errorPrompts = fields["error"].flatMap { templateList($0, for: "error") } ?? []
        let help = fields["help"].flatMap { template($0, for: "help") }
        let retries = fields["retries"].flatMap { integer($0, for: "retries", in: 1...10) } ?? 5
        let onRetriesExceeded = fields["onRetriesExceeded"].flatMap { target($0, for: "onRetriesExceeded") } ?? .end
        let defaultValue = fields["default"].map { templatedJSON($0) }
        let rules = fields["rules"].flatMap { parseRules($0) } ?? EntityRules()
        let extract = fields["extract"].flatMap { reader.boolean($0, for: "extract") } ?? true
        let sensitive = fields["sensitive"].flatMap { reader.boolean($0, for: "sensitive") } ?? false
        let interruptions = fields["interruptions"].flatMap { interruptionBehavior($0) } ?? .ask
        let examples = fields["examples"].flatMap { reader.texts($0, for: "examples") }?.map(\.text) ?? []

        guard let type else { return nil }
        return EntitySpec(
            name: name ?? "", type: type, prompts: prompts, errorPrompts: errorPrompts,
            help: help, presence: presence, retries: retries, onRetriesExceeded: onRetriesExceeded,
            defaultValue: defaultValue, rules: rules, extractFromUtterance: extract, isSensitive: sensitive,
            interruptions: interruptions, examples: examples)
    }

    /// `ask`, `hold` or `discard`.
    mutating func interruptionBehavior(_ node: YAMLNode) -> InterruptionBehavior? {
        guard let text = reader.text(node, for: "interruptions") else { return nil }
        if let behavior = InterruptionBehavior(rawValue: text) { return behavior }
        let names = InterruptionBehavior.allCases.map(\.rawValue)
        reader.error(
            "unknown interruption behavior '\(text)'; use ask, hold or discard", at: node,
            suggestion: Suggestion.closest(to: text, among: names))
        return nil
    }

    private mutating func parsePresence(_ node: YAMLNode) -> EntitySpec.Presence? {
        guard let text = reader.text(node, for: "presence") else { return nil }
        if let presence = EntitySpec.Presence(rawValue: text) { return presence }
        let names = ["mandatory", "optional", "hidden"]
        reader.error(
            "unknown presence '\(text)'; use mandatory, optional or hidden", at: node,
            suggestion: Suggestion.closest(to: text, among: names))
        return nil
    }

    private mutating func entityType(_ name: String, _ fields: Fields) -> EntityType? {
        switch name {
        case "string": return .string
        case "personName":
            guard let node = fields["part"] else { return .personName(.full) }
            guard let text = reader.text(node, for: "part") else { return nil }
            guard let part = NamePart(rawValue: text) else {
                reader.error(
                    "unknown name part '\(text)'; use full, first or last", at: node,
                    suggestion: Suggestion.closest(to: text, among: NamePart.allCases.map(\.rawValue)))
                return nil
            }
            return .personName(part)
        case "company": return .company
        case "jobTitle": return .jobTitle
        case "reference": return .reference
        case "changes": return parseChanges(fields)
        case "number": return .number
        case "amount": return .amount
        case "percentage": return .percentage
        case "date": return .date
        case "email": return .email
        case "phone": return .phone
        case "url": return .url
        case "yesNo": return .yesNo
        case "list": return parseList(fields).map(EntityType.list)
        case "regex":
            guard let node = fields["pattern"] else {
                reader.missing("pattern", in: fields, what: "a regex entity", hint: " (the regular expression to match)")
                return nil
            }
            return regex(node, for: "pattern").map { EntityType.regex(pattern: $0) }
        default:
            guard let node = fields["keyPrefix"] else { return .salesforceID(keyPrefix: nil) }
            guard let prefix = reader.text(node, for: "keyPrefix") else { return nil }
            guard prefix.count == 3, prefix.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                reader.error("'keyPrefix' must be 3 letters or digits, such as 00Q for leads, not '\(prefix)'", at: node)
                return nil
            }
            return .salesforceID(keyPrefix: prefix)
        }
    }

    private mutating func parseList(_ fields: Fields) -> ListSpec? {
        let multiple = fields["multiple"].flatMap { reader.boolean($0, for: "multiple") } ?? false
        let showValues = fields["showValues"].flatMap { reader.boolean($0, for: "showValues") } ?? true
        if let sourceNode = fields["valuesFrom"] {
            if let keyNode = fields.keyNode("values") {
                reader.error("a list entity takes 'values' or 'valuesFrom', not both", at: keyNode)
            }
            guard let path = reader.text(sourceNode, for: "valuesFrom") else { return nil }
            guard path.range(of: #"^context(\.[A-Za-z_$][A-Za-z0-9_$]*)+$"#, options: .regularExpression) != nil else {
                reader.error("'valuesFrom' must be a context path such as 'context.choices', not '\(path)'", at: sourceNode)
                return nil
            }
            return ListSpec(items: [], valuesFrom: path, allowsMultiple: multiple, showsValues: showValues)
        }
        guard let node = fields["values"] else {
            reader.missing(
                "values", in: fields, what: "a list entity",
                hint: " (the values the user picks from, or 'valuesFrom' with a context path)")
            return nil
        }
        guard let elements = reader.list(node, for: "values") else { return nil }
        if elements.isEmpty {
            reader.error("'values' is empty; a list entity needs at least one value", at: node)
            return nil
        }
        var items: [ListItem] = []
        var seen: Set<String> = []
        for element in elements {
            guard let item = parseListItem(element) else { continue }
            if !seen.insert(item.value.lowercased()).inserted {
                reader.error("duplicate list value '\(item.value)'", at: element)
            }
            items.append(item)
        }
        return ListSpec(items: items, allowsMultiple: multiple, showsValues: showValues)
    }

    /// The fields of a `changes` entity: API name → `{ words, type, ... }`.
    private mutating func parseChanges(_ fields: Fields) -> EntityType? {
        guard let node = fields["fields"] else {
            reader.missing("fields", in: fields, what: "a changes entity", hint: " (the fields the user may change)")
            return nil
        }
        guard let pairs = reader.pairs(of: node, in: "'fields'") else { return nil }
        if pairs.isEmpty {
            reader.error("'fields' is empty; a changes entity needs at least one field", at: node)
            return nil
        }
        var parsed: [ChangesSpec.Field] = []
        for (name, _, value) in pairs {
            guard let spec = reader.fields(of: value, allowed: Self.changeFieldKeys, in: "a field of a changes entity")
            else { continue }
            var words = [name]
            if let wordsNode = spec["words"], let texts = reader.texts(wordsNode, for: "words") {
                words = texts.map(\.text)
            }
            var type = EntityType.string
            if let typeNode = spec["type"], let text = reader.text(typeNode, for: "type") {
                if text == "changes" {
                    reader.error("a field of a changes entity cannot itself be of type changes", at: typeNode)
                    continue
                }
                guard EntityType.typeNames.contains(text) else {
                    reader.error(
                        "unknown entity type '\(text)'", at: typeNode,
                        suggestion: Suggestion.closest(to: text, among: EntityType.typeNames))
                    continue
                }
                guard let fieldType = entityType(text, spec) else { continue }
                type = fieldType
            }
            parsed.append(ChangesSpec.Field(name: name, words: words, type: type))
        }
        return .changes(ChangesSpec(fields: parsed))
    }

    private mutating func parseListItem(_ node: YAMLNode) -> ListItem? {
        if case .scalar = node {
            return reader.text(node, for: "values").map { ListItem(value: $0) }
        }
        guard let fields = reader.fields(of: node, allowed: Self.listItemKeys, in: "a list value") else { return nil }
        guard let valueNode = fields["value"] else {
            reader.missing("value", in: fields, what: "a list value")
            return nil
        }
        guard let value = reader.text(valueNode, for: "value") else { return nil }
        let display = fields["display"].flatMap { reader.text($0, for: "display") }
        let synonyms = fields["synonyms"].flatMap { reader.texts($0, for: "synonyms") }?.map(\.text) ?? []
        return ListItem(value: value, display: display, synonyms: synonyms)
    }

    private mutating func parseRules(_ node: YAMLNode) -> EntityRules? {
        guard let fields = reader.fields(of: node, allowed: Self.ruleKeys, in: "'rules'") else { return nil }
        var rules = EntityRules()
        rules.minLength = fields["minLength"].flatMap { integer($0, for: "minLength", in: 0...Int.max) }
        rules.maxLength = fields["maxLength"].flatMap { integer($0, for: "maxLength", in: 1...Int.max) }
        rules.minimum = fields["min"].flatMap { reader.number($0, for: "min") }
        rules.maximum = fields["max"].flatMap { reader.number($0, for: "max") }
        rules.pattern = fields["pattern"].flatMap { regex($0, for: "pattern") }
        if let low = rules.minLength, let high = rules.maxLength, low > high, let node = fields["minLength"] {
            reader.error("'minLength' (\(low)) is greater than 'maxLength' (\(high))", at: node)
        }
        if let low = rules.minimum, let high = rules.maximum, low > high, let node = fields["min"] {
            reader.error("'min' (\(Self.format(low))) is greater than 'max' (\(Self.format(high)))", at: node)
        }
        return rules
    }

    static func format(_ number: Double) -> String {
        Int(exactly: number).map(String.init) ?? String(number)
    }

    /// A regular expression that compiles.
    private mutating func regex(_ node: YAMLNode, for key: String) -> String? {
        guard let pattern = reader.text(node, for: key) else { return nil }
        do {
            _ = try NSRegularExpression(pattern: pattern)
            return pattern
        } catch {
            reader.error("invalid regular expression '\(pattern)' in '\(key)'", at: node)
            return nil
        }
    }
}
