#if canImport(Glibc)
    import Glibc
#endif

/// Reading and writing raw file descriptors, retrying on EINTR.
enum FileDescriptorIO {
    /// Writes every byte, or stops at the first real error; returns whether all were written.
    @discardableResult
    static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return Glibc.write(descriptor, base + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }

    /// Writes a string as UTF-8.
    @discardableResult
    static func writeAll(_ text: String, to descriptor: Int32) -> Bool {
        writeAll(Array(text.utf8), to: descriptor)
    }

    /// What `waitForInput` saw.
    enum Readiness {
        case input
        case wakeUp
        case failed
    }

    /// Blocks until `input` is readable or `wakeUp` is, preferring the wake-up.
    static func waitForInput(_ input: Int32, orWakeUp wakeUp: Int32) -> Readiness {
        var descriptors = [
            pollfd(fd: wakeUp, events: Int16(POLLIN), revents: 0),
            pollfd(fd: input, events: Int16(POLLIN), revents: 0),
        ]
        while true {
            let ready = poll(&descriptors, 2, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                return .failed
            }
            if descriptors[0].revents != 0 { return .wakeUp }
            // Hang-up and errors count as readable: the read that follows reports them.
            if descriptors[1].revents != 0 { return .input }
        }
    }

    /// Reads up to `count` bytes; an empty result means end of input, nil an error.
    static func read(from descriptor: Int32, upTo count: Int) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: count)
        while true {
            let got = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, count) }
            if got < 0 {
                if errno == EINTR { continue }
                // A pseudo-terminal whose other side closed reports EIO: that is the end of input.
                if errno == EIO { return [] }
                return nil
            }
            return Array(buffer.prefix(got))
        }
    }
}
