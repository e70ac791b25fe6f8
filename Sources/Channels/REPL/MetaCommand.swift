import DialogModel
import Foundation

/// The REPL's own commands, which start with `/` and never reach the bot.
enum MetaCommand: String, CaseIterable {
    case help = "/help"
    case tasks = "/tasks"
    case context = "/context"
    case reset = "/reset"
    case user = "/user"
    case debug = "/debug"
    case record = "/record"
    case whoami = "/whoami"
    case signout = "/signout"
    case open = "/open"
    case quit = "/quit"

    static let names = allCases.map(\.rawValue) + ["/exit"]

    init?(rawValue: String) {
        switch rawValue.lowercased() {
        case "/help", "/?": self = .help
        case "/tasks": self = .tasks
        case "/context": self = .context
        case "/reset", "/restart": self = .reset
        case "/user": self = .user
        case "/debug": self = .debug
        case "/record", "/save": self = .record
        case "/whoami": self = .whoami
        case "/signout", "/logout": self = .signout
        case "/open": self = .open
        case "/quit", "/exit", "/q": self = .quit
        default: return nil
        }
    }

    var summary: String {
        switch self {
        case .help: "list these commands"
        case .tasks: "list what the bot can do"
        case .context: "show the conversation's context as JSON"
        case .reset: "forget this conversation and start over"
        case .user: "/user NAME: chat as another user (each has their own conversation)"
        case .debug: "show or hide the nodes and transitions each turn runs"
        case .record: "/record FILE: write this chat as a transcript for parley test (/record off stops)"
        case .whoami: "show who you are connected to Salesforce as"
        case .signout: "revoke your Salesforce token and forget it"
        case .open: "open the authorization link the bot sent you in the browser"
        case .quit: "leave (Ctrl-D works too)"
        }
    }

    static func help(style: TerminalStyle) -> String {
        var text = ""
        for command in allCases {
            text += "  " + style.bold(command.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) + command.summary + "\n"
        }
        text += style.dim("  Ctrl-R searches history, Tab completes commands and answers, Ctrl-C cancels the line.") + "\n"
        return text
    }

    /// The closest command name, for "did you mean".
    static func suggestion(for name: String) -> String? {
        Suggestion.closest(to: name.lowercased(), among: names)
    }
}
