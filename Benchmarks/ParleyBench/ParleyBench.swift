@main struct ParleyBench { static func main() {} }
