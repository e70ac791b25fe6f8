#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension LocalServer {
    /// A loopback port nobody listens on now, for a server started in another process that must be named its port
    /// before it listens (`parley serve --port`, `parley actions authorize --port`). The port may be taken again by
    /// the time that server binds it: a server this process starts asks for ``Port/exactly(_:)`` 0 instead.
    public static func freeLoopbackPort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw LoopbackPortError(detail: "no socket (errno \(errno))") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0 && getsockname(descriptor, generic, &length) == 0
            }
        }
        guard bound else { throw LoopbackPortError(detail: "cannot bind a loopback port (errno \(errno))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// No free loopback port could be found.
public struct LoopbackPortError: Error, Sendable, CustomStringConvertible {
    public var detail: String
    public var description: String { detail }
}
