/// A prompt prepared for libedit: escape sequences (colours, links) marked as taking no columns.
///
/// libedit writes the text between two ``literalMarker`` characters as is and
/// leaves it out of its cursor arithmetic; without the marks a coloured prompt
/// would make every redraw land in the wrong column.
struct PromptText: Equatable {
    static let literalMarker: Unicode.Scalar = "\u{01}"

    /// The prompt with each escape sequence between two markers.
    let marked: String
    /// How many terminal columns the prompt takes.
    let columns: Int

    init(_ prompt: String) {
        var marked = String.UnicodeScalarView()
        var columns = 0
        let scalars = Array(prompt.unicodeScalars.filter { $0 != PromptText.literalMarker })
        var index = 0
        while index < scalars.count {
            if scalars[index] == "\u{1B}" {
                let end = PromptText.endOfEscapeSequence(in: scalars, from: index)
                marked.append(PromptText.literalMarker)
                marked.append(contentsOf: scalars[index..<end])
                marked.append(PromptText.literalMarker)
                index = end
            } else {
                marked.append(scalars[index])
                columns += scalars[index].terminalColumns
                index += 1
            }
        }
        self.marked = String(marked)
        self.columns = columns
    }

    /// The index just past the escape sequence starting at `start`: CSI (`ESC [ … final`), OSC (`ESC ] … BEL or ESC \`), or `ESC x`.
    private static func endOfEscapeSequence(in scalars: [Unicode.Scalar], from start: Int) -> Int {
        var index = start + 1
        guard index < scalars.count else { return index }
        switch scalars[index] {
        case "[":
            index += 1
            while index < scalars.count, !(0x40...0x7E).contains(scalars[index].value) { index += 1 }
            return min(index + 1, scalars.count)
        case "]":
            index += 1
            while index < scalars.count {
                if scalars[index] == "\u{07}" { return index + 1 }
                if scalars[index] == "\u{1B}", index + 1 < scalars.count, scalars[index + 1] == "\\" { return index + 2 }
                index += 1
            }
            return index
        default:
            return index + 1
        }
    }
}
