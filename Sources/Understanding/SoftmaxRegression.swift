/// A multinomial logistic regression over sparse features: the model behind intent
/// classification, trained in a few milliseconds when a bot loads.
///
/// Training is plain stochastic gradient descent with L2 regularization, in a fixed order, so the
/// same examples always give the same model.
struct SoftmaxRegression: Sendable {
    /// One example: feature indexes with their values, and its class.
    struct Example {
        var features: [(index: Int, value: Double)]
        var label: Int
        /// How much the example counts; classes with many examples count each one less.
        var weight: Double
    }

    /// Training settings, named so their effect can be read and tuned.
    struct Settings {
        var epochs = 100
        var learningRate = 0.5
        var regularization = 1e-5
        /// The order of examples is shuffled each epoch from this seed.
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
    }

    let classCount: Int
    let featureCount: Int
    /// Row-major: `weights[class * featureCount + feature]`.
    private var weights: [Double]
    private var biases: [Double]

    init(classCount: Int, featureCount: Int, examples: [Example], settings: Settings = Settings()) {
        self.classCount = classCount
        self.featureCount = featureCount
        weights = [Double](repeating: 0, count: classCount * featureCount)
        biases = [Double](repeating: 0, count: classCount)
        guard classCount > 1, !examples.isEmpty else { return }
        var order = Array(examples.indices)
        var random = settings.seed
        var probabilities = [Double](repeating: 0, count: classCount)
        // Weight decay is applied lazily through a shared scale, so each step touches only the
        // example's features.
        var scale = 1.0
        var step = 0
        for epoch in 0..<settings.epochs {
            for index in stride(from: order.count - 1, to: 0, by: -1) {
                random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                order.swapAt(index, Int((random >> 33) % UInt64(index + 1)))
            }
            let rate = settings.learningRate / (1 + Double(epoch) * 0.1)
            for position in order {
                let example = examples[position]
                step += 1
                scale *= 1 - rate * settings.regularization
                if scale < 1e-6 {
                    for index in weights.indices { weights[index] *= scale }
                    scale = 1
                }
                scores(example.features, scale: scale, into: &probabilities)
                Self.softmax(&probabilities)
                for label in 0..<classCount {
                    let gradient = (probabilities[label] - (label == example.label ? 1 : 0)) * example.weight
                    guard gradient != 0 else { continue }
                    let row = label * featureCount
                    for (feature, value) in example.features {
                        weights[row + feature] -= rate * gradient * value / scale
                    }
                    biases[label] -= rate * gradient * 0.1
                }
            }
        }
        if scale != 1 {
            for index in weights.indices { weights[index] *= scale }
        }
        _ = step
    }

    /// The probability of each class for these features.
    func probabilities(_ features: [(index: Int, value: Double)]) -> [Double] {
        var result = [Double](repeating: 0, count: classCount)
        scores(features, scale: 1, into: &result)
        Self.softmax(&result)
        return result
    }

    private func scores(_ features: [(index: Int, value: Double)], scale: Double, into result: inout [Double]) {
        for label in 0..<classCount {
            let row = label * featureCount
            var sum = 0.0
            for (feature, value) in features { sum += weights[row + feature] * value }
            result[label] = sum * scale + biases[label]
        }
    }

    private static func softmax(_ values: inout [Double]) {
        guard let largest = values.max() else { return }
        var total = 0.0
        for index in values.indices {
            values[index] = exp(values[index] - largest)
            total += values[index]
        }
        for index in values.indices { values[index] /= total }
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
