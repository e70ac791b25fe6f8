#if canImport(Glibc)
    import Glibc
#endif

/// How much memory the process holds now, as the operating system counts it.
///
/// A script's allocations land in JavaScriptCore's heap and in its allocator's pages, which no public API
/// reports cheaply; the resident set counts both, and everything else the process holds, so a limit on its
/// growth during a call is a limit on what that call allocated (give or take what other threads did meanwhile).
enum ResidentMemory {
    /// The resident set size in bytes, read from `/proc/self/statm`; `nil` where there is no such file.
    static func bytes() -> Int? {
        #if canImport(Glibc)
            let descriptor = open("/proc/self/statm", O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { return nil }
            defer { close(descriptor) }
            // "size resident shared text lib data dt", in pages: the second field is the resident set.
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 128) { buffer -> Int? in
                let count = read(descriptor, buffer.baseAddress, buffer.count)
                guard count > 0 else { return nil }
                var field = 0
                var pages = 0
                for byte in buffer[..<count] {
                    if byte == UInt8(ascii: " ") {
                        field += 1
                        if field > 1 { break }
                    } else if field == 1, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte), pages < Int.max / 100 {
                        pages = pages * 10 + Int(byte - UInt8(ascii: "0"))
                    }
                }
                return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
            }
        #else
            return nil
        #endif
    }
}
