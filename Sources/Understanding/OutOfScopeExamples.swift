import DialogModel

/// Requests no bot task serves: small talk, other assistants' jobs, and the neighbours of a
/// business bot's work (calendars, mail, files, contacts, calls).
///
/// Intent classification trains a "none of these" class on them, so a request has to look like a
/// task's utterances, not merely share a verb with them, before it starts the task.
enum OutOfScopeExamples {
    /// What the examples' slots stand for: people, companies and places are read as words the vocabulary does not
    /// know, so that no name becomes one of its words ("Jane" or "Acme" would otherwise lean every request naming them
    /// towards none) and the people's kind does not either.
    static let slots: [String: EntitySpec] = [
        "person": EntitySpec(name: "person", type: .string, prompts: []),
        "company": EntitySpec(name: "company", type: .company, prompts: []),
        "place": EntitySpec(name: "place", type: .string, prompts: []),
    ]

    static let utterances = [
        "hello", "hi there", "good morning", "hey, how are you", "how's it going", "what's up", "thanks", "thank you",
        "thanks a lot", "great, thanks", "ok cool", "awesome", "bye", "goodbye", "see you later", "good night",
        "who are you", "are you a robot", "what is your name", "what can you do", "tell me a joke",
        "tell me something funny", "sing me a song", "what's the meaning of life", "I'm bored", "I love you",
        "you're useless", "that's wrong", "never mind", "what time is it", "what's the date today",
        "what's the weather like", "will it rain tomorrow", "how hot is it in {place}", "weather forecast for {place}",
        "set an alarm for 7 am", "set a timer for ten minutes", "remind me to call mom", "play some music",
        "play the latest podcast", "turn off the lights", "turn up the volume", "order a pizza",
        "book a table for two", "find a restaurant nearby", "book a flight to {place}", "reserve a hotel room",
        "call me a taxi", "how do I get to the airport", "what's the traffic like", "translate hello into French",
        "what's 15 times 12", "convert 10 miles to kilometers", "what's the capital of {place}",
        "who won the game last night", "show me the news", "what's the stock price of {company}",
        "how much is bitcoin worth", "send an email to my manager", "reply to the last email", "check my inbox",
        "delete this email", "delete all my emails", "forward the invoice to accounting",
        "schedule a meeting with the team", "book a meeting room for tomorrow", "cancel my 3pm meeting",
        "move my meeting to Friday", "what's on my calendar today", "delete my calendar invite",
        "create a calendar event", "create a new document", "delete the file", "share the spreadsheet with {person}",
        "open the presentation", "print this page", "reset my password", "change my password",
        "log me out", "delete my account", "update my profile picture", "change my email notifications",
        "create a contact", "add a new contact for my dentist", "delete the contact", "show my contacts",
        "call {person}", "log a call", "make a phone call", "text my wife", "send a message to the team",
        "create a support ticket", "open a case for this customer", "show my open cases", "escalate the case",
        "create a task to follow up", "show my to do list", "mark the task as done", "delete the task",
        "create a campaign", "launch the email campaign", "create an invoice", "pay the invoice",
        "show me the sales dashboard", "run the quarterly report", "export the report to Excel",
        "how do I use Salesforce", "what is a CRM", "what's the difference between a lead and a contact",
        "who is the CEO of Salesforce", "what does this bot cost", "how do I install the app",
        "install the mobile app", "clear the chat", "delete this conversation", "start over", "undo that",
        "I have a question", "can I talk to a human", "connect me to support", "I need help with my order",
        "where is my package", "track my shipment", "return an item", "buy new headphones",
        "what should I eat for lunch", "recommend a good book", "how do I bake bread", "go for a run",
        // Business objects other than a bot's own: the same verbs, other things.
        "create a contact for {person} at {company}", "add {person} as a contact", "update the contact's phone number",
        "change the email on the contact {person}", "show me the contact {person}", "search contacts for {person}",
        "list my contacts", "delete the contact for {person}", "merge these two contacts",
        "create a new account called {company}", "update the billing address on the {company} account",
        "show me the {company} account", "who owns the {company} account", "list all accounts in {place}", "delete the account",
        "open a case for {company}", "show my open cases", "close case 00012345", "escalate this case to tier two",
        "create a campaign for the webinar", "add {person} to the spring campaign", "how did the email campaign do",
        "create a quote for {company}", "send the quote to the customer", "add a product to the quote",
        "add a line item to the order", "create an invoice for {company}", "create a contract for {company}",
        "log a call with {person}", "schedule a call with {person} tomorrow", "create a task to follow up with {person}",
        "remind me to email {person} on Friday", "add a note to the {company} account", "create an event for the demo",
        "book a demo with {person} next week", "send an email to {person} about pricing",
        "email the proposal to {person}", "assign this to my manager", "convert the lead into a contact and account",
        "who is my manager", "what's my quota this quarter", "how much commission did I earn",
        "show me the sales dashboard", "build a report of closed deals", "export all records to a spreadsheet",
        "import a list of names from a file", "upload the attachment", "set up a new user in the org",
        "change my Salesforce password", "why is Salesforce so slow", "this bot is useless",
    ]
}
