/// The spoken words of an identifier: "lastName" → ["last", "name"], "close_date" → ["close", "date"].
func spokenWords(of identifier: String) -> [String] {
    var words: [String] = []
    var current = ""
    var previous: Character?
    for character in identifier {
        if character == "_" || character == "-" || character == " " || character == "." {
            if !current.isEmpty { words.append(current) }
            current = ""
        } else if character.isUppercase, let previous, previous.isLowercase || previous.isNumber {
            if !current.isEmpty { words.append(current) }
            current = String(character)
        } else {
            current.append(character)
        }
        previous = character
    }
    if !current.isEmpty { words.append(current) }
    return words.map { $0.lowercased() }
}
