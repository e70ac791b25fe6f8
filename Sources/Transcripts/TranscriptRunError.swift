/// Something a transcript asked for that could not be done (not a mismatch): reported at the step's line.
struct TranscriptRunError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
