public import Foundation

/// Where a bot's trained understanding is kept between loads, by a name that says what it was trained on:
/// a bot whose utterances have not changed reads its model back instead of training it again.
///
/// Keeping models is an optimization only: a model that cannot be read is trained again, and one that
/// cannot be saved is trained again at the next load.
public protocol SavedModels: Sendable {
    /// The model saved under this name, if any.
    func model(named name: String) -> Data?
    /// Keeps the model under this name, in place of models saved earlier for the same bot.
    func save(_ model: Data, named name: String)
}
