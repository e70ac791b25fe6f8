import SalesforceWire

/// The REST API versions the sandbox serves (31.0 … 66.0) and their release names.
enum SandboxAPIVersions {
    static let oldest = 31
    static let newest = 66

    /// `Summer '14` for 31: three releases a year; Winter releases are named for the following year.
    static func label(_ major: Int) -> String {
        let offset = major - 31
        let cycle = ((offset % 3) + 3) % 3
        let yearsOn = offset >= 0 ? offset / 3 : (offset - 2) / 3
        switch cycle {
        case 0: return "Summer '\(twoDigits(14 + yearsOn))"
        case 1: return "Winter '\(twoDigits(15 + yearsOn))"
        default: return "Spring '\(twoDigits(15 + yearsOn))"
        }
    }

    private static func twoDigits(_ year: Int) -> String {
        year < 10 ? "0\(year)" : String(year)
    }

    /// Every entry of `GET /services/data/`, oldest first.
    static var all: [APIVersion] {
        (oldest...newest).map { APIVersion(label: label($0), url: "/services/data/v\($0).0", version: "\($0).0") }
    }

    /// What a version path component means.
    enum Resolution: Equatable {
        /// A served version, as `66.0`.
        case served(String)
        /// 21.0 … 30.0: retired, 410 GONE.
        case retired
        case unknown
    }

    /// Resolves `v66.0`, `latest` and the like.
    static func resolve(_ component: String) -> Resolution {
        if component == "latest" { return .served("\(newest).0") }
        guard component.hasPrefix("v") else { return .unknown }
        let number = component.dropFirst()
        let parts = number.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[1] == "0", let major = Int(parts[0]) else { return .unknown }
        if (oldest...newest).contains(major) { return .served("\(major).0") }
        if (21...30).contains(major) { return .retired }
        return .unknown
    }
}
