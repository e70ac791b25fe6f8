/// Words that carry no meaning for telling one request from another.
enum StopWords {
    static let all: Set<String> = [
        "a", "an", "the", "to", "for", "of", "in", "on", "at", "by", "with", "from", "into", "and", "or",
        "please", "pls", "plz", "kindly", "i", "i'd", "i'm", "im", "me", "my", "mine", "we", "we'd", "our", "us",
        "you", "your", "can", "could", "would", "will", "should", "shall", "may", "might", "want", "wanna",
        "like", "need", "let", "let's", "lets", "some", "this", "that", "these", "those", "is", "are", "am",
        "be", "was", "were", "do", "does", "did", "it", "its", "it's", "what", "what's", "whats", "how",
        "new", "hey", "hi", "just", "now", "going", "gonna", "there", "here", "then", "so",
        "thanks", "thank", "ok", "okay", "up", "about", "one", "any",
    ]

    static func contains(_ word: String) -> Bool { all.contains(word) }
}
