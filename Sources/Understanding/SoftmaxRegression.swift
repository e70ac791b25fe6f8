/// A multinomial logistic regression over sparse features: the model behind intent
/// classification, trained in milliseconds when a bot loads.
///
/// Training is stochastic gradient descent with L2 regularization, in a fixed order, so the same
/// examples always give the same model. A class whose probability for an example is already
/// negligible gets no update, which after the first passes leaves about two classes per example.
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
        var epochs = 40
        var learningRate: Float = 0.5
        var regularization: Float = 1e-5
        /// Gradients smaller than this are not worth a pass over the example's features.
        var negligibleGradient: Float = 1e-3
        /// The order of examples is shuffled each epoch from this seed.
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
    }

    let classCount: Int
    let featureCount: Int
    /// Row-major: `weights[class * featureCount + feature]`.
    private var weights: [Float]
    private var biases: [Float]

    init(classCount: Int, featureCount: Int, examples: [Example], settings: Settings = Settings()) {
        self.classCount = classCount
        self.featureCount = featureCount
        weights = [Float](repeating: 0, count: classCount * featureCount)
        biases = [Float](repeating: 0, count: classCount)
        guard classCount > 1, !examples.isEmpty else { return }

        // The examples in one flat layout: feature indexes and values, each example a run of them.
        var offsets = [0]
        var indexes: [Int32] = []
        var values: [Float] = []
        for example in examples {
            for (index, value) in example.features {
                indexes.append(Int32(index))
                values.append(Float(value))
            }
            offsets.append(indexes.count)
        }
        let labels = examples.map(\.label)
        let sampleWeights = examples.map { Float($0.weight) }
        var order = Array(examples.indices)
        var random = settings.seed
        var probabilities = [Float](repeating: 0, count: classCount)
        let featureCount = featureCount
        let classCount = classCount
        // Weight decay is kept as one shared scale, so each step touches only the example's features.
        var scale: Float = 1
        weights.withUnsafeMutableBufferPointer { weights in
            biases.withUnsafeMutableBufferPointer { biases in
                indexes.withUnsafeBufferPointer { indexes in
                    values.withUnsafeBufferPointer { values in
                        for epoch in 0..<settings.epochs {
                            for index in stride(from: order.count - 1, to: 0, by: -1) {
                                random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                                order.swapAt(index, Int((random >> 33) % UInt64(index + 1)))
                            }
                            let rate = settings.learningRate / (1 + Float(epoch) * 0.1)
                            for position in order {
                                let start = offsets[position]
                                let end = offsets[position + 1]
                                scale *= 1 - rate * settings.regularization
                                if scale < 1e-3 {
                                    for index in weights.indices { weights[index] *= scale }
                                    scale = 1
                                }
                                var largest = -Float.infinity
                                for label in 0..<classCount {
                                    let row = label * featureCount
                                    var sum: Float = 0
                                    for entry in start..<end { sum += weights[row + Int(indexes[entry])] * values[entry] }
                                    probabilities[label] = sum * scale + biases[label]
                                    largest = max(largest, probabilities[label])
                                }
                                var total: Float = 0
                                for label in 0..<classCount {
                                    probabilities[label] = exp(probabilities[label] - largest)
                                    total += probabilities[label]
                                }
                                let label = labels[position]
                                for other in 0..<classCount {
                                    let gradient = (probabilities[other] / total - (other == label ? 1 : 0)) * sampleWeights[position]
                                    guard abs(gradient) >= settings.negligibleGradient else { continue }
                                    let step = rate * gradient / scale
                                    let row = other * featureCount
                                    for entry in start..<end { weights[row + Int(indexes[entry])] -= step * values[entry] }
                                    biases[other] -= rate * gradient * 0.1
                                }
                            }
                        }
                        for index in weights.indices { weights[index] *= scale }
                    }
                }
            }
        }
    }

    /// The probability of each class for these features.
    func probabilities(_ features: [(index: Int, value: Double)]) -> [Double] {
        var result = [Double](repeating: 0, count: classCount)
        var largest = -Double.infinity
        for label in 0..<classCount {
            let row = label * featureCount
            var sum = Double(biases[label])
            for (feature, value) in features { sum += Double(weights[row + feature]) * value }
            result[label] = sum
            largest = max(largest, sum)
        }
        var total = 0.0
        for index in result.indices {
            result[index] = exp(result[index] - largest)
            total += result[index]
        }
        return result.map { $0 / total }
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
