public import Channels
public import DialogRuntime
import Foundation
import Synchronization

/// Whether a chat is being recorded, and where: `/record FILE` and `parley chat --record FILE` switch it on.
///
/// The chat's service calls go through ``wrap(_:)`` from the start, so a recording begun mid-chat still keeps
/// the calls it needs as `@http` stubs.
public final class TranscriptRecording: Sendable {
    private let botFolder: String
    private let variables: [String: String]
    private let current = Mutex<TranscriptRecorder?>(nil)

    /// - Parameters:
    ///   - botFolder: the bot being chatted with, written as `@bot`.
    ///   - variables: bot variables the chat overrides, written as `@env`.
    public init(botFolder: String, variables: [String: String] = [:]) {
        self.botFolder = botFolder
        self.variables = variables
    }

    /// The recorder in use, or `nil` when not recording.
    public var recorder: TranscriptRecorder? { current.withLock { $0 } }

    /// Starts writing a new transcript to `path`, replacing any recording in progress.
    ///
    /// - Throws: when the file cannot be written.
    public func start(path: String, user: UserID) throws {
        let recorder = TranscriptRecorder(path: path, botFolder: botFolder, user: user, variables: variables)
        try recorder.userChanged(to: user)
        current.withLock { $0 = recorder }
    }

    /// Stops recording and returns the file written, if there was a recording.
    @discardableResult
    public func stop() -> String? {
        current.withLock { recorder in
            defer { recorder = nil }
            return recorder?.path
        }
    }

    /// A service that records each call's answer while a recording runs, and only forwards otherwise.
    public func wrap(_ http: HTTPService) -> HTTPService {
        HTTPService { [self] request throws(ServiceCallError) in
            guard let recorder else { return try await http.send(request) }
            return try await recorder.recording(http).send(request)
        }
    }
}

extension TranscriptRecording: ChatRecording {
    public var path: String? { recorder?.path }

    public func greeting(_ output: TurnOutput) throws { try recorder?.greeting(output) }
    public func turn(_ text: String, output: TurnOutput) throws { try recorder?.turn(text, output: output) }
    public func authorized(_ output: TurnOutput, user: UserID) throws { try recorder?.authorized(output, user: user) }
    public func userChanged(to user: UserID) throws { try recorder?.userChanged(to: user) }
    public func reset() throws { try recorder?.reset() }
}
