import WebEncoding

/// Where a PostgreSQL database is, as `--store` names it: `postgres://user[:password]@host[:port]/database`, with an
/// optional `?sslmode=disable|prefer|require` (`prefer` when not given, as libpq does).
///
/// The password is kept for connecting and never shown: ``description`` puts `•••` in its place.
public struct PostgresURL: Sendable, Hashable, CustomStringConvertible {
    public enum TLSMode: String, Sendable, Hashable, CaseIterable {
        case disable, prefer, require
    }

    public var user: String
    var password: String?
    public var host: String
    public var port: Int
    public var database: String
    public var tls: TLSMode

    /// Reads a URL; the error says which part is wrong.
    public init(parsing text: String) throws(PostgresURLError) {
        let scheme = text.prefix { $0 != ":" }
        guard ["postgres", "postgresql"].contains(scheme), text.dropFirst(scheme.count).hasPrefix("://") else {
            throw PostgresURLError("the scheme must be postgres:// or postgresql://")
        }
        let rest = text.dropFirst(scheme.count + 3)
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        var pathAndQuery = rest.dropFirst(authority.count)

        guard let at = authority.lastIndex(of: "@") else {
            throw PostgresURLError("the user is missing: postgres://user@host/database")
        }
        let userInfo = authority[..<at]
        let rawUser = userInfo.prefix { $0 != ":" }
        guard let user = PercentEncoding.decoded(rawUser, plusIsSpace: false), !user.isEmpty else {
            throw PostgresURLError("the user is missing or not percent-encoded correctly")
        }
        self.user = user
        if rawUser.count < userInfo.count {
            guard let password = PercentEncoding.decoded(userInfo.dropFirst(rawUser.count + 1), plusIsSpace: false) else {
                throw PostgresURLError("the password is not percent-encoded correctly")
            }
            self.password = password
        }

        var hostAndPort = authority[authority.index(after: at)...]
        if hostAndPort.hasPrefix("[") {
            guard let close = hostAndPort.firstIndex(of: "]") else {
                throw PostgresURLError("the host's IPv6 address has no closing ']'")
            }
            host = String(hostAndPort[hostAndPort.index(after: hostAndPort.startIndex)..<close])
            hostAndPort = hostAndPort[hostAndPort.index(after: close)...]
        } else {
            host = String(hostAndPort.prefix { $0 != ":" })
            hostAndPort = hostAndPort.dropFirst(host.count)
        }
        guard !host.isEmpty else { throw PostgresURLError("the host is missing") }
        if hostAndPort.isEmpty {
            port = 5432
        } else {
            let digits = hostAndPort.dropFirst()
            guard hostAndPort.first == ":", let port = Int(digits), (1...65535).contains(port) else {
                throw PostgresURLError("the port must be a number from 1 to 65535, not '\(hostAndPort.dropFirst())'")
            }
            self.port = port
        }

        guard pathAndQuery.hasPrefix("/") else { throw PostgresURLError("the database is missing: …/database") }
        pathAndQuery = pathAndQuery.dropFirst()
        let rawDatabase = pathAndQuery.prefix { $0 != "?" }
        guard let database = PercentEncoding.decoded(rawDatabase, plusIsSpace: false), !database.isEmpty,
            !database.contains("/")
        else {
            throw PostgresURLError("the database is missing or not one name: …/database")
        }
        self.database = database

        tls = .prefer
        let query = pathAndQuery.dropFirst(rawDatabase.count + 1)
        for parameter in query.split(separator: "&") {
            let (name, value) = (parameter.prefix { $0 != "=" }, parameter.drop { $0 != "=" }.dropFirst())
            guard name == "sslmode" else {
                throw PostgresURLError("unknown parameter '\(name)' (only sslmode is understood)")
            }
            guard let mode = TLSMode(rawValue: String(value)) else {
                let modes = TLSMode.allCases.map(\.rawValue).joined(separator: ", ")
                throw PostgresURLError("sslmode must be one of \(modes), not '\(value)'")
            }
            tls = mode
        }
    }

    /// The URL with the password masked, for output and logs.
    public var description: String {
        let user = PercentEncoding.component(user) + (password == nil ? "" : ":•••")
        let host = self.host.contains(":") ? "[\(self.host)]" : self.host
        let query = tls == .prefer ? "" : "?sslmode=\(tls.rawValue)"
        return "postgres://\(user)@\(host):\(port)/\(PercentEncoding.component(database))\(query)"
    }
}

/// A `--store` URL that does not name a PostgreSQL database properly.
public struct PostgresURLError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong; never the password.
    public var problem: String

    init(_ problem: String) {
        self.problem = problem
    }

    public var description: String { "the PostgreSQL URL is not valid: \(problem)" }
}
