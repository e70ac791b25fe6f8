import DialogModel
import ParleyJSON

extension EntityRecognizer {
    // MARK: Companies

    /// A company as the user wrote it, without "at", "from" or "it's" before it.
    func recognizeCompany(_ answer: String) -> Recognition {
        var tokens = WordToken.tokens(in: answer)
        while tokens.count > 1, Companies.introductions.contains(tokens[0].lower) { tokens.removeFirst() }
        guard let first = tokens.first, let last = tokens.last else { return .empty }
        let text = String(answer[first.range.lowerBound..<last.range.upperBound])
        guard text.contains(where: { $0.isLetter || $0.isNumber }), !text.contains("@"),
            !tokens.allSatisfy({ References.namesNobody.contains($0.lower) })
        else {
            return .invalid(reason: "That doesn't look like a company name")
        }
        return .value(.string(text), text: answer)
    }

    /// Companies introduced by "at", "from", "works at/for" or "company": the capitalized words
    /// that follow ("at Blue Harbor Foods", "from Cedar & Pine Builders", "works for Initech"), or lowercase ones up
    /// to a word that ends a company's name ("from coimbatore spinning mills").
    func findCompanies(in utterance: String) -> [Match] {
        let tokens = WordToken.tokens(in: utterance)
        var matches: [Match] = []
        var index = 0
        while index < tokens.count {
            guard let cue = Companies.cueLength(in: tokens, at: index) else {
                index += 1
                continue
            }
            let start = index + cue
            var end = start
            while end < tokens.count, end - start < 6, end == start || !tokens.punctuation(between: end - 1, and: end, in: utterance),
                Companies.belongsToName(tokens, end, start: start)
            {
                end += 1
            }
            // "and", "&" and "of" only join capitalized words; never end a name with them.
            while end > start, Companies.joiners.contains(tokens[end - 1].lower) { end -= 1 }
            // "from coimbatore spinning mills": in lowercase, a name that ends like a company's.
            if end == start, let lowercase = Companies.namedByEnding(tokens, from: start, in: utterance) { end = lowercase.upperBound }
            if end > start, !PersonName.firstNames.contains(tokens[start].lower) || cue > 1 {
                matches.append(tokens.match(of: start..<end, in: utterance))
            }
            index = max(end, index + 1)
        }
        return matches
    }

    // MARK: Job titles

    /// A job title as the user wrote it, without "she's the" or "title is" before it.
    func recognizeJobTitle(_ answer: String) -> Recognition {
        var tokens = WordToken.tokens(in: answer)
        while tokens.count > 1, JobTitles.introductions.contains(tokens[0].lower) { tokens.removeFirst() }
        guard let first = tokens.first, let last = tokens.last else { return .empty }
        let text = String(answer[first.range.lowerBound..<last.range.upperBound])
        guard text.contains(where: \.isLetter), !text.contains("@") else {
            return .invalid(reason: "That doesn't look like a job title")
        }
        return .value(.string(text), text: answer)
    }

    /// Job titles in free text: a title word ("CTO", "director", "manager") with the words that
    /// qualify it ("VP of Sales", "senior procurement manager", "head of IT").
    func findJobTitles(in utterance: String) -> [Match] {
        let tokens = WordToken.tokens(in: utterance)
        var matches: [Match] = []
        var index = 0
        while index < tokens.count {
            guard JobTitles.isHead(tokens, index) else {
                index += 1
                continue
            }
            var start = index
            // "senior procurement manager", "Chief Medical Officer": qualifying words, or capitalized ones.
            while start > 0,
                JobTitles.modifiers.contains(tokens[start - 1].lower)
                    || References.isCapitalized(tokens[start - 1]) && References.isCapitalized(tokens[index])
                        && !PersonName.notNames.contains(tokens[start - 1].lower)
                        // "He's Procurement Lead": the words that introduce a title are not part of it.
                        && !JobTitles.introductions.contains(tokens[start - 1].lower)
                        && !tokens.punctuation(between: start - 1, and: start, in: utterance)
            {
                start -= 1
            }
            // "she's the fleet director", "our regional sales lead": the words between an article and the title.
            if let article = (max(0, start - 3)..<start).last(where: { JobTitles.articles.contains(tokens[$0].lower) }),
                article + 1 < start,
                (article + 1..<start).allSatisfy({ position in
                    let word = tokens[position]
                    return word.text.allSatisfy(\.isLetter) && !StopWords.contains(word.lower)
                        && !EntityExtractor.valueEnders.contains(word.lower) && !PersonName.notNames.contains(word.lower)
                        && !tokens.punctuation(between: position - 1, and: position, in: utterance)
                })
            {
                start = article + 1
            }
            var end = index + 1
            // "VP Engineering", "Director Sales": a department right after.
            if ["vp", "svp", "evp", "avp", "director", "head"].contains(tokens[index].lower), end < tokens.count,
                References.isCapitalized(tokens[end]), !PersonName.notNames.contains(tokens[end].lower),
                !tokens.punctuation(between: index, and: end, in: utterance), tokens[end].lower != "of"
            {
                end += 1
            }
            // "of Sales", "of IT", "of Business Development"; but a chief or an owner is of a company: "CFO of
            // Sierra Madre Cement".
            if end + 1 < tokens.count, ["of", "for"].contains(tokens[end].lower), JobTitles.isDepartment(tokens[end + 1]),
                !JobTitles.ofCompanies.contains(tokens[end - 1].lower) || JobTitles.modifiers.contains(tokens[end + 1].lower)
            {
                end += 2
                // A comma ends the department: "Head of IT, Baltic Cold Chain" names the company after it.
                while end < tokens.count, end - index < 5, JobTitles.isDepartment(tokens[end]),
                    !tokens.punctuation(between: end - 1, and: end, in: utterance)
                {
                    end += 1
                }
            }
            matches.append(tokens.match(of: start..<end, in: utterance))
            index = end
        }
        return matches
    }

    // MARK: People in free text

    /// Names in free text: after "named" or "my name is", or two or three words that look like a
    /// name ("Tom Becker", "tom becker" when "tom" is a known first name). A `first` or `last` part
    /// takes its part of each name.
    ///
    /// With `uncommonLowercase`, two lowercase words that are no ordinary English words also make a name where a
    /// field starts ("chidinma eze, head of ops at …", "callum mcallister / ops director"): only a new contact's details
    /// are read that way, since a record's name in lowercase ("sendai cleanroom expansion") looks the same.
    func findNamesAnywhere(in utterance: String, part: NamePart, uncommonLowercase: Bool = false) -> [Match] {
        var matches = findPersonNames(in: utterance)
        let tokens = WordToken.tokens(in: utterance)
        var index = 0
        while index < tokens.count {
            if matches.contains(where: { $0.range.overlaps(tokens[index].range) }) {
                index += 1
                continue
            }
            if PersonName.honorifics.contains(tokens[index].lower), index + 1 < tokens.count {
                index += 1
                continue
            }
            let known = PersonName.firstNames.contains(tokens[index].lower)
            let capitalized = PersonName.isNameWord(tokens[index]) && !PersonName.notNames.contains(tokens[index].lower)
            let uncommon =
                uncommonLowercase && !known && !capitalized
                && PersonName.startsUncommonName(tokens, at: index, in: utterance)
            guard known || capitalized || uncommon else {
                index += 1
                continue
            }
            // A name is written all in lowercase ("tom becker", after a known first name) or capitalized
            // ("Tom Becker"), never both: "mark Sam Lee" is the verb and then the name. Never across a comma.
            let lowercase = !(tokens[index].text.first?.isUppercase ?? false)
            var end = index + 1
            while end < tokens.count, end - index < 3, !tokens.punctuation(between: end - 1, and: end, in: utterance),
                PersonName.continuesName(tokens[end], capitalizedOnly: !lowercase || !known),
                !lowercase || !(tokens[end].text.first?.isUppercase ?? false)
            {
                end += 1
            }
            // "Pieter van der Merwe", "Ana de la Cruz": particles belong to the capitalized last name after them.
            var particles = end
            while !lowercase, particles < tokens.count, particles - end < 3, PersonName.particles.contains(tokens[particles].lower) {
                particles += 1
            }
            if particles > end, particles < tokens.count, PersonName.isNameWord(tokens[particles]),
                !PersonName.notNames.contains(tokens[particles].lower),
                !tokens.punctuation(between: end - 1, and: particles, in: utterance)
            {
                end = particles + 1
            }
            if uncommon { end = index + 2 }
            // "a lead for Greenhollow Orchards", "Halvorsen Marine": a name that ends like a company's, without a known
            // first name, is the company's.
            if !known, end - index >= 2, Companies.endsName(tokens[end - 1]) {
                index = end
                continue
            }
            // "Ingrid Solberg Fjord Aquaculture", "yuki tanaka sakura dental labs": a company's name starts after the
            // second word.
            if end - index == 3, Companies.namedByEnding(tokens, from: index + 2, in: utterance) != nil { end = index + 2 }
            guard end - index >= 2 else {
                index += 1
                continue
            }
            let text = String(tokens.text(of: index..<end, in: utterance))
            matches.append(
                Match(value: .string(PersonName.capitalized(text)), text: text, range: tokens.sourceRange(of: index..<end)))
            index = end
        }
        matches.sort { $0.range.lowerBound < $1.range.lowerBound }
        guard part != .full else { return matches }
        return matches.compactMap { match in
            let words = PersonName.parts(of: match.value.stringValue ?? "")
            guard words.count >= 2 else { return part == .last ? match : nil }
            let value = part == .first ? words.dropLast().joined(separator: " ") : words[words.count - 1]
            return Match(value: .string(value), text: match.text, range: match.range)
        }
    }
}

/// How companies are introduced and written.
enum Companies {
    /// Words before a company in an answer: "at Acme", "it's Acme", "they're with Acme".
    static let introductions: Set<String> = [
        "at", "from", "with", "for", "it's", "its", "it", "is", "they're", "theyre", "she's", "he's", "works",
        "company", "the", "called", "named",
    ]

    /// Words that introduce a company in free text, longest first.
    static let cues: [[String]] = [
        ["works", "at"], ["works", "for"], ["working", "at"], ["working", "for"], ["employed", "at"], ["employed", "by"],
        ["company", "name", "is"], ["account", "name", "is"], ["company", "name"], ["account", "name"], ["company", "is"],
        ["account", "is"], ["company"], ["account"], ["acct"], ["employer"], ["at"], ["from"], ["with"],
    ]

    /// Words that label a company: "company Acme", "acct Globex".
    static let labels: Set<String> = ["company", "account", "acct", "employer"]

    /// Lowercase words inside a company name between capitalized ones.
    static let joiners: Set<String> = ["&", "and", "of", "+"]

    /// Legal suffixes that end a company name.
    static let suffixes: Set<String> = [
        "inc", "inc.", "llc", "ltd", "ltd.", "corp", "corp.", "co", "co.", "gmbh", "ag", "sa", "plc", "group",
    ]

    /// Words for what a business is or does that end its name: "Apuan Marble Quarries", "rift valley dairies",
    /// "Cardiff Bay Housing Association". A name written in lowercase is known for one by its last word.
    static let endings: Set<String> = [
        "labs", "laboratories", "dairies", "dairy", "exporters", "exports", "importers", "imports", "processors",
        "mills", "distillers", "distillery", "distilleries", "brewery", "breweries", "brewers", "winery", "wineries",
        "vineyards", "growers", "farms", "orchards", "fisheries", "aquaculture", "seafood", "seafoods", "foods",
        "components", "quarries", "mining", "mines", "minerals", "marine", "textiles", "ceramics", "solar",
        "renewables", "energy", "institute", "irrigation", "timber", "lumber", "traders", "trading", "terminals",
        "logistics", "freight", "shipping", "haulage", "transport", "airlines", "motors", "automotive", "industries",
        "holdings", "partners", "associates", "association", "cooperative", "co-op", "group", "systems", "services",
        "solutions", "technologies", "pharma", "pharmaceuticals", "biotech", "healthcare", "hospital", "hospitals",
        "clinic", "clinics", "university", "college", "academy", "council", "trust", "foundation", "bank",
        "insurance", "ventures", "investments", "construction", "builders", "engineering", "manufacturing",
        "plastics", "chemicals", "steel", "metals", "electric", "electronics", "robotics", "analytics", "consulting",
        "consultants", "media", "studios", "agency", "hotels", "resorts", "lodges", "bakery", "bakeries", "roasters",
        "packaging", "printing", "telecom", "networks", "communications", "aviation", "aerospace", "shipyard",
        "shipyards", "utilities", "agro", "agritech", "poultry", "furniture", "apparel", "garments", "cosmetics",
        "hardware", "supplies", "distribution", "distributors", "wholesale", "retail", "markets", "supermarkets",
        "pharmacy", "pharmacies", "estates", "properties", "realty", "developers", "contractors", "mfg", "enterprises",
    ]

    /// Whether the word ends a company's name: a legal suffix or an ending.
    static func endsName(_ token: WordToken) -> Bool { suffixes.contains(token.lower) || endings.contains(token.lower) }

    /// The company written in lowercase from `start`: up to five words in one phrase, none a common joining word,
    /// up to the last that ends a company's name ("at enugu agro processors, …", "rift valley dairies 0722 …").
    static func namedByEnding(_ tokens: [WordToken], from start: Int, in utterance: String) -> Range<Int>? {
        var end = start
        var last: Int?
        while end < tokens.count, end - start < 5, end == start || !tokens.punctuation(between: end - 1, and: end, in: utterance),
            tokens[end].text.allSatisfy({ $0.isLetter || "&-'.".contains($0) }), !StopWords.contains(tokens[end].lower)
        {
            if endsName(tokens[end]) { last = end }
            end += 1
        }
        guard let last, last > start else { return nil }
        return start..<(last + 1)
    }

    /// Capitalized names that end like a company's wherever they stand, not counting the words `used` by other values:
    /// "a lead for Greenhollow Orchards", "Rohini Kulkarni Pune Auto Components" once the person is read.
    static func namedAnywhere(_ tokens: [WordToken], in utterance: String, used: [Range<String.Index>]) -> [Range<Int>] {
        References.capitalizedPhrases(in: tokens, utterance: utterance).compactMap { phrase in
            var start = phrase.lowerBound
            while start < phrase.upperBound, used.contains(where: { $0.overlaps(tokens[start].range) }) { start += 1 }
            guard phrase.upperBound - start >= 2, endsName(tokens[phrase.upperBound - 1]),
                !PersonName.firstNames.contains(tokens[start].lower),
                !tokens[start..<phrase.upperBound].contains(where: { token in used.contains { $0.overlaps(token.range) } })
            else { return nil }
            return start..<phrase.upperBound
        }
    }

    static func cueLength(in tokens: [WordToken], at index: Int) -> Int? {
        for cue in cues where index + cue.count < tokens.count {
            if zip(tokens[index...], cue).allSatisfy({ $0.lower == $1 }) { return cue.count }
        }
        return nil
    }

    /// Whether the word at `index` continues the company name that starts at `start`.
    static func belongsToName(_ tokens: [WordToken], _ index: Int, start: Int) -> Bool {
        let token = tokens[index]
        if suffixes.contains(token.lower) { return index > start }
        if joiners.contains(token.lower) {
            return index > start && index + 1 < tokens.count && startsCapitalized(tokens[index + 1])
        }
        return startsCapitalized(token) && !PersonName.notNames.contains(token.lower)
    }

    private static func startsCapitalized(_ token: WordToken) -> Bool {
        guard let first = token.text.first else { return false }
        return first.isUppercase || first.isNumber
    }
}

/// How job titles are written.
enum JobTitles {
    static let introductions: Set<String> = [
        "she's", "he's", "they're", "is", "the", "a", "an", "as", "title", "title's", "job", "role", "position", "works",
        "she", "he", "they", "are", "she’s", "he’s", "they’re",
    ]

    /// Words before a title that are not part of it, though the words between them and the title are: "the
    /// fleet director", "our regional sales lead".
    static let articles: Set<String> = ["the", "a", "an", "our", "their", "his", "her", "its"]

    /// Titles that are held at a company, not in a department: "of" after them names the company.
    static let ofCompanies: Set<String> = [
        "ceo", "cto", "cfo", "coo", "cmo", "cio", "cro", "ciso", "cso", "cpo", "president", "founder", "co-founder",
        "cofounder", "owner", "chairman", "chairwoman", "chair", "principal", "partner",
    ]

    /// Words that make a title on their own or end one.
    static let heads: Set<String> = [
        "ceo", "cto", "cfo", "coo", "cmo", "cio", "cro", "ciso", "cso", "cpo", "vp", "svp", "evp", "avp", "president",
        "director", "manager", "head", "engineer", "analyst", "founder", "co-founder", "cofounder", "owner",
        "consultant", "architect", "officer", "specialist", "coordinator", "administrator", "buyer", "executive",
        "representative", "rep", "principal", "chairman", "chairwoman", "chair", "partner", "supervisor", "md", "gm",
        "developer", "designer", "accountant", "controller", "treasurer", "recruiter", "strategist",
    ]

    /// Words that qualify a title word before it: "senior", "sales", "procurement".
    static let modifiers: Set<String> = [
        "senior", "sr", "sr.", "junior", "jr", "chief", "lead", "principal", "executive", "general", "managing",
        "regional", "global", "national", "area", "district", "vice", "assistant", "associate", "deputy", "interim",
        "acting", "sales", "marketing", "product", "engineering", "operations", "ops", "it", "finance", "financial",
        "maintenance", "facilities", "quality", "production", "compliance", "warehouse", "fleet", "commercial",
        "procurement", "purchasing", "account", "accounts", "technical", "technology", "software", "data",
        "security", "hr", "people", "customer", "business", "development", "project", "program", "office", "store",
        "plant", "brand", "digital", "growth", "revenue", "creative", "legal", "supply", "chain", "logistics", "it's",
    ]

    /// Whether the word at `index` is a title word. "lead" counts only after a qualifying word
    /// ("procurement lead"), since alone it is more often a Salesforce lead; "head" only before "of" or after one.
    static func isHead(_ tokens: [WordToken], _ index: Int) -> Bool {
        let word = tokens[index].lower
        if word == "lead" {
            return index > 0 && modifiers.contains(tokens[index - 1].lower) && tokens[index - 1].lower != "lead"
        }
        // "head of IT", or after its department: "their purchasing head".
        if word == "head" {
            return index + 1 < tokens.count && tokens[index + 1].lower == "of"
                || index > 0 && modifiers.contains(tokens[index - 1].lower) && tokens[index - 1].lower != "lead"
        }
        return heads.contains(word)
    }

    /// A word of a department: "Sales", "IT", "Business", "Development", "marketing".
    static func isDepartment(_ token: WordToken) -> Bool {
        if modifiers.contains(token.lower) { return true }
        guard let first = token.text.first else { return false }
        return first.isUppercase && token.text.allSatisfy { $0.isLetter || $0 == "&" }
    }
}

extension PersonName {
    /// Titles written before a name: "Dr. Hana Novak".
    static let honorifics: Set<String> = ["dr", "dr.", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "prof", "prof.", "miss", "sir"]

    /// A name's words without honorifics, its last name last: "Ludwig van Beethoven" gives
    /// ["Ludwig", "van Beethoven"], since particles belong to the last name.
    static func parts(of name: String) -> [String] {
        var words = name.split(whereSeparator: \.isWhitespace).map(String.init)
        while words.count > 1, honorifics.contains(words[0].lowercased()) { words.removeFirst() }
        guard words.count > 2 else { return words }
        var lastStart = words.count - 1
        while lastStart > 1, particles.contains(words[lastStart - 1].lowercased()) { lastStart -= 1 }
        return Array(words[..<lastStart]) + [words[lastStart...].joined(separator: " ")]
    }

    /// Capitalized words that are not names: the pronoun, days, months and the bot's own words.
    static let notNames: Set<String> = [
        "i", "i'm", "i'd", "i'll", "i've", "the", "a", "an", "please", "hi", "hey", "hello", "ok", "okay", "yes", "no",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today", "tomorrow",
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december", "new", "create", "add", "delete", "remove", "update", "change", "set", "show",
        "list", "find", "search", "view", "open", "mark", "can", "could", "would", "will", "need", "lead", "leads",
        "opportunity", "opportunities", "deal", "deals", "salesforce", "crm", "ceo", "cto", "cfo", "coo", "vp",
        "email", "phone", "inc", "llc", "ltd", "corp", "my", "our", "we", "he", "she", "they", "it", "this", "that",
        "what", "when", "where", "who", "how", "why", "is", "are", "at", "from", "with", "for", "and", "or",
    ]

    /// Words after which a new contact's details start: "a lead wanjiru kamau …", "named chidinma eze".
    private static let beforeDetails: Set<String> = [
        "lead", "prospect", "contact", "named", "called", "for", "add", "met", "is", "name", "name's",
    ]

    /// Whether the words at `index` and after it are two lowercase words that no dictionary of ordinary words holds,
    /// where a field starts: at the start, after a separator or after a word that introduces a contact. Each has a
    /// vowel and three letters or more, so shorthand ("mk", "nw", "thx") is no name, and they are not the start of a
    /// company's name ("enugu agro processors").
    static func startsUncommonName(_ tokens: [WordToken], at index: Int, in utterance: String) -> Bool {
        func isUncommon(_ token: WordToken) -> Bool {
            token.text.count >= 3 && token.text.first?.isLowercase == true
                && token.text.allSatisfy({ $0.isLetter || "'’-".contains($0) })
                && token.lower.contains(where: { "aeiouy".contains($0) }) && !CommonWords.contains(token.lower)
                && !notNames.contains(token.lower) && !StopWords.contains(token.lower) && !Companies.endsName(token)
        }
        // "disqualify anjali deshmukh": a known first name starts a name of its own.
        guard index + 1 < tokens.count, isUncommon(tokens[index]), isUncommon(tokens[index + 1]),
            !firstNames.contains(tokens[index + 1].lower),
            !tokens.punctuation(between: index, and: index + 1, in: utterance),
            index == 0 || tokens.punctuation(between: index - 1, and: index, in: utterance)
                || beforeDetails.contains(tokens[index - 1].lower)
        else { return false }
        return Companies.namedByEnding(tokens, from: index, in: utterance) == nil
    }

    /// Whether the word continues a name: capitalized, or after a known first name any plain word
    /// that is not a common word ("tom becker" but not "tom at").
    static func continuesName(_ token: WordToken, capitalizedOnly: Bool) -> Bool {
        // Nor a clause's words: "priya raghunathan got promoted", "amara okafor isn't interested".
        guard token.text.allSatisfy({ $0.isLetter || "'’-".contains($0) }), !notNames.contains(token.lower),
            !StopWords.contains(token.lower), !JobTitles.heads.contains(token.lower),
            capitalizedOnly || !EntityExtractor.valueEnders.contains(token.lower)
        else { return false }
        return capitalizedOnly ? isNameWord(token) : true
    }

    /// Common given names from many places, lowercased, so names typed in lowercase are still found.
    static let firstNames: Set<String> = [
        "aarav", "aaron", "abdul", "abigail", "adam", "aditi", "aditya", "adrian", "adriana", "agnieszka", "ahmad",
        "ahmed", "aiden", "aigerim", "aisha", "akira", "akosua", "alan", "albert", "alberto", "alejandro",
        "aleksandr", "aleksandra", "alessandro", "alessia", "alex", "alexander", "alexandra", "alfonso", "alhassan",
        "ali", "alice", "alicia", "alina", "alison", "alistair", "alonso", "alvaro", "amanda", "amara", "amelia",
        "amina", "amir", "amit", "amy", "ana", "anastasia", "anders", "andre", "andrea", "andreas", "andrei",
        "andres", "andrew", "andrzej", "angela", "angelica", "angelo", "anil", "anita", "anja", "anjali", "ankit",
        "ann", "anna", "anne", "annika", "anouk", "anthony", "antoine", "anton", "antonio", "anya", "arash",
        "arianna", "arjun", "arnav", "arthur", "arturo", "asha", "ashley", "ashok", "astrid", "audrey", "aurelien",
        "ava", "ayesha", "ayumi", "babajide", "barbara", "bartosz", "beatriz", "ben", "benedikt", "benjamin", "beth",
        "bianca", "bilal", "bill", "bjorn", "bob", "bogdan", "boris", "brandon", "brian", "brigitte", "bruce",
        "bruno", "bukola", "camila", "camille", "carina", "carl", "carla", "carlos", "carmen", "carol", "carolina",
        "caroline", "catherine", "cecilia", "cesar", "chantal", "charles", "charlie", "charlotte", "chen", "chiamaka",
        "chidi", "chinedu", "chioma", "chitra", "chloe", "chris", "christian", "christina", "christine", "christoph",
        "christopher", "ciara", "cillian", "claire", "clara", "claudia", "clemens", "colin", "connor", "cormac",
        "craig", "cristina", "dagmar", "daisuke", "damien", "dan", "daniel", "daniela", "dariusz", "darko", "david",
        "deborah", "deepak", "deepika", "delphine", "denise", "dennis", "derek", "desmond", "diana", "diego",
        "dieter", "dimitri", "dinesh", "divya", "dmitri", "dominic", "donald", "dong", "duc", "dunja", "dylan", "ed",
        "eduardo", "edward", "efua", "eiko", "eilidh", "ekaterina", "elena", "eli", "elif", "elijah", "elisa",
        "elise", "eliska", "elizabeth", "ella", "ellen", "emeka", "emil", "emilia", "emilie", "emily", "emma", "emre",
        "enrique", "eric", "erik", "erin", "esra", "esteban", "esther", "ethan", "eun", "eva", "evelyn", "fabian",
        "fabio", "farah", "farhan", "fatima", "federico", "felipe", "felix", "femi", "fernando", "filip", "fiona",
        "florian", "folake", "francesca", "francesco", "francisco", "frank", "franz", "freya", "fumiko", "gabriel",
        "gabriela", "gareth", "gary", "gaurav", "george", "gerhard", "gianluca", "gina", "giulia", "gonzalo", "gosia",
        "grace", "greg", "gregory", "greta", "guillaume", "gunnar", "gustavo", "hadi", "hakan", "halima", "hamza",
        "hana", "hannah", "hans", "harper", "harry", "haruka", "haruto", "hassan", "heather", "heike", "helen",
        "helga", "hemant", "henry", "hiroko", "hiroshi", "hoang", "hugo", "hye", "hyun", "hyun-woo", "ian", "ifeoma",
        "ignacio", "igor", "ilse", "imran", "ines", "inga", "ingrid", "irina", "isaac", "isabel", "isabela",
        "isabella", "isabelle", "ismail", "ivan", "jack", "jacob", "jae", "jakob", "james", "jamie", "jan", "jana",
        "jane", "janet", "jasmine", "jason", "javed", "javier", "jay", "jean", "jeff", "jelena", "jennifer", "jenny",
        "jens", "jeremy", "jessica", "ji-woo", "jim", "jing", "jiwoo", "joan", "joanna", "joao", "joaquin", "joe",
        "johan", "johanna", "john", "jon", "jonah", "jonas", "jonathan", "jordan", "jorg", "jorge", "joris", "jose",
        "joseph", "josh", "joshua", "jovana", "juan", "julia", "julian", "julie", "jurgen", "justin", "kai", "kamal",
        "kamala", "karen", "karim", "karina", "karl", "karthik", "kasia", "katarzyna", "kate", "katherine", "kathy",
        "kavya", "kawika", "kazuki", "kemal", "kenji", "kenta", "kerstin", "kevin", "khalid", "kim", "kiran", "klaus",
        "kofi", "kojo", "kwabena", "kwame", "kwasi", "kyle", "laila", "lakshmi", "lars", "laura", "lauren", "lea",
        "leah", "lee", "leila", "lena", "leo", "leon", "leonardo", "leticia", "liam", "lily", "lina", "linda", "linh",
        "lisa", "liz", "lorenzo", "luana", "luca", "lucas", "lucia", "luciana", "lucy", "ludmila", "luis", "lukas",
        "lukasz", "luke", "magdalena", "mahmoud", "maja", "malik", "malika", "manuel", "marco", "marek", "margarida",
        "maria", "mariana", "marie", "mario", "marisol", "marius", "mark", "marko", "marlene", "marta", "martin",
        "martina", "mary", "masato", "mateo", "matt", "matteo", "matthew", "matthias", "maurice", "max", "maxime",
        "maya", "megan", "mehdi", "mehmet", "mei", "mei-ling", "meiling", "mette", "mia", "michael", "michal",
        "michelle", "miguel", "mihai", "mikael", "mike", "mikhail", "milan", "milena", "min-jun", "minh", "minjun",
        "miriam", "mirko", "mohamed", "mohammad", "mohammed", "moritz", "muhammad", "nadia", "nadine", "naledi",
        "nanami", "nancy", "naoko", "naomi", "narges", "natalie", "natasha", "nathalie", "nathan", "neha", "nia",
        "niamh", "nick", "nico", "nicolas", "nicole", "niels", "nikhil", "nikita", "nikolai", "nikolaos", "nils",
        "nina", "nisha", "nnamdi", "noah", "noor", "nora", "nour", "nuno", "obinna", "oksana", "olamide", "olena",
        "olga", "oliver", "olivia", "olu", "oluwaseun", "omar", "omari", "orla", "osamu", "oscar", "owen", "pablo",
        "pam", "patricia", "patrick", "paul", "paula", "pavel", "pawel", "pedro", "peter", "petra", "philip",
        "pierre", "pieter", "pilar", "piotr", "pooja", "priya", "rachel", "rafael", "rahim", "rahul", "raj", "ramon",
        "rana", "rania", "raphael", "rashid", "ravi", "rebecca", "reza", "ricardo", "richard", "rick", "rinaldo",
        "rita", "riya", "rob", "robert", "roberto", "rodrigo", "rohan", "roisin", "roman", "rosa", "ruben", "rui",
        "ryan", "ryo", "ryota", "sabine", "sabrina", "sadia", "saeed", "sakura", "salma", "salvatore", "sam",
        "samantha", "samuel", "sandra", "sanjay", "santiago", "sanya", "saoirse", "sara", "sarah", "sasha", "satoshi",
        "scott", "sean", "sebastian", "seo-jun", "seo-yeon", "sergei", "seun", "shanice", "shannon", "shira",
        "shreya", "siddharth", "sienna", "sigrid", "silvia", "simon", "sina", "sinead", "siobhan", "sione", "sneha",
        "sofia", "sophia", "sophie", "soren", "stefan", "stefano", "stella", "stephanie", "stephen", "steve",
        "steven", "sunil", "sunita", "suresh", "susan", "sven", "svetlana", "takeshi", "tamara", "tanvir", "tanya",
        "tariq", "tatiana", "taylor", "teresa", "thabo", "themba", "thi", "thiago", "thomas", "thu", "tiago", "tim",
        "timothy", "tobias", "tom", "tomas", "tomasz", "tomoko", "tony", "tuan", "tyler", "ulrich", "usman",
        "valentina", "vanessa", "vasily", "vera", "veronika", "victor", "victoria", "vijay", "vikram", "viktor",
        "vincent", "vinh", "vivek", "vladimir", "walter", "wanjiru", "wei", "wiktoria", "william", "wojciech",
        "xavier", "xiao", "xin", "yara", "yasmin", "yasmine", "yelena", "yerlan", "yiannis", "yoko", "yong", "yosef",
        "youssef", "yuki", "yuna", "yuri", "yusuf", "yusuke", "zach", "zainab", "zara", "zeynep", "zhang", "zhen",
        "zhou", "zoe", "zofia", "zoltan",
    ]
}
