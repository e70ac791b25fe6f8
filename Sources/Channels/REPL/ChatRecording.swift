public import DialogRuntime

/// Where a chat is written down as it happens: `/record FILE` starts it, `/record off` stops it.
///
/// Each event is written only while recording; a failed write throws, and the chat then stops recording.
public protocol ChatRecording: Sendable {
    /// The file being written; `nil` when not recording.
    var path: String? { get }

    /// Starts writing to `path`, replacing any recording in progress.
    func start(path: String, user: UserID) throws

    /// Stops recording and returns the file written, if there was a recording.
    @discardableResult func stop() -> String?

    func greeting(_ output: TurnOutput) throws
    func turn(_ text: String, output: TurnOutput) throws
    /// Output sent between turns, after an authorization.
    func authorized(_ output: TurnOutput, user: UserID) throws
    func userChanged(to user: UserID) throws
    func reset() throws

    /// A service that records each call's answer while recording, and only forwards otherwise.
    func wrap(_ http: HTTPService) -> HTTPService
}
