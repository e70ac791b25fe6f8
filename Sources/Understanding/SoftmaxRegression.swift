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
    /// Feature-major, each feature's row padded to whole vectors of eight: `weights[feature * width + class]`.
    private(set) var weights: [Float]
    private(set) var biases: [Float]
    /// The length of a feature's row: the classes, rounded up to a multiple of eight.
    private let width: Int

    init(classCount: Int, featureCount: Int, examples: [Example], settings: Settings = Settings()) {
        self.classCount = classCount
        self.featureCount = featureCount
        width = (classCount + 7) / 8 * 8
        weights = [Float](repeating: 0, count: width * featureCount)
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
        let classCount = classCount
        let width = width
        // Per example: the padded row of sums, then of steps; the classes' probabilities.
        let row = UnsafeMutablePointer<Float>.allocate(capacity: width)
        row.initialize(repeating: 0, count: width)
        let probabilities = UnsafeMutablePointer<Float>.allocate(capacity: classCount)
        defer {
            row.deallocate()
            probabilities.deallocate()
        }
        // Weight decay is kept as one shared scale, so each step touches only the example's features.
        var scale: Float = 1
        weights.withUnsafeMutableBufferPointer { weights in
            guard let base = weights.baseAddress else { return }
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
                                // A feature's classes lie side by side: both passes run over contiguous
                                // memory, eight classes at a time.
                                for chunk in stride(from: 0, to: width, by: 8) { Self.store(SIMD8(), at: row + chunk) }
                                for entry in start..<end {
                                    let weightsRow = base + Int(indexes[entry]) * width
                                    let value = values[entry]
                                    for chunk in stride(from: 0, to: width, by: 8) {
                                        Self.store(
                                            Self.load(row + chunk) + Self.load(weightsRow + chunk) * value, at: row + chunk)
                                    }
                                }
                                var largest = -Float.infinity
                                for label in 0..<classCount {
                                    probabilities[label] = row[label] * scale + biases[label]
                                    largest = max(largest, probabilities[label])
                                }
                                var total: Float = 0
                                for label in 0..<classCount {
                                    probabilities[label] = exp(probabilities[label] - largest)
                                    total += probabilities[label]
                                }
                                // The row now holds each class's step; a negligible one is none.
                                let label = labels[position]
                                var stepping = false
                                for other in 0..<classCount {
                                    let gradient = (probabilities[other] / total - (other == label ? 1 : 0)) * sampleWeights[position]
                                    guard abs(gradient) >= settings.negligibleGradient else {
                                        row[other] = 0
                                        continue
                                    }
                                    row[other] = rate * gradient / scale
                                    biases[other] -= rate * gradient * 0.1
                                    stepping = true
                                }
                                guard stepping else { continue }
                                for entry in start..<end {
                                    let weightsRow = base + Int(indexes[entry]) * width
                                    let value = values[entry]
                                    for chunk in stride(from: 0, to: width, by: 8) {
                                        Self.store(
                                            Self.load(weightsRow + chunk) - Self.load(row + chunk) * value, at: weightsRow + chunk)
                                    }
                                }
                            }
                        }
                        for index in weights.indices { weights[index] *= scale }
                    }
                }
            }
        }
    }

    /// A model saved earlier; `nil` when the weights and biases do not fit the counts.
    init?(classCount: Int, featureCount: Int, weights: [Float], biases: [Float]) {
        let width = (classCount + 7) / 8 * 8
        guard classCount > 0, featureCount >= 0, biases.count == classCount, weights.count == width * featureCount,
            weights.allSatisfy(\.isFinite), biases.allSatisfy(\.isFinite)
        else { return nil }
        self.classCount = classCount
        self.featureCount = featureCount
        self.width = width
        self.weights = weights
        self.biases = biases
    }

    @inline(__always)
    private static func load(_ pointer: UnsafeMutablePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always)
    private static func store(_ vector: SIMD8<Float>, at pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: vector, as: SIMD8<Float>.self)
    }

    /// The probability of each class for these features.
    func probabilities(_ features: [(index: Int, value: Double)]) -> [Double] {
        var result = [Double](repeating: 0, count: classCount)
        var largest = -Double.infinity
        for label in 0..<classCount {
            var sum = Double(biases[label])
            for (feature, value) in features { sum += Double(weights[feature * width + label]) * value }
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
