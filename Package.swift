// swift-tools-version:6.2
import PackageDescription

// The pipeline is visible in the targets:
// dialog files → model → understanding + scripting → runtime → Salesforce + integrations → host → channels
// → transcripts → CLI. The host assembles every running bot: from the state folder for `parley chat`, in memory
// over an in-process sandbox for transcripts. Small shared utilities sit at the bottom (ParleyJSON, WebEncoding,
// CivilTime); the sandbox ships SalesforceSandboxTesting, the scripted browser and the clock its tests use.

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "parley",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "parley", targets: ["parley"]),
        .executable(name: "parley-bench", targets: ["ParleyBench"]),
        // The scripted browser and fixtures over the sandbox, for tests of code that talks to Salesforce.
        .library(name: "SalesforceSandboxTesting", targets: ["SalesforceSandboxTesting"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    ],
    targets: [
        // MARK: C at the edge
        .systemLibrary(
            name: "CEditLine", pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"]), .brew(["libedit"])]),
        .systemLibrary(
            name: "CJavaScriptCore", pkgConfig: "javascriptcoregtk-4.1",
            providers: [.apt(["libjavascriptcoregtk-4.1-dev"])]),

        // MARK: JSON values: the shape of context, service responses and records
        .target(name: "ParleyJSON", swiftSettings: swiftSettings),
        // Text on the web: percent-encoding, application/x-www-form-urlencoded, HTML escaping.
        .target(name: "WebEncoding", swiftSettings: swiftSettings),
        // Days of the proleptic Gregorian calendar, in integer arithmetic: relative dates and SOQL date literals.
        .target(name: "CivilTime", swiftSettings: swiftSettings),

        // MARK: Dialog files → model
        .target(
            name: "DialogModel",
            dependencies: ["ParleyJSON", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings),

        // MARK: Understanding the user and running scripts
        .target(
            name: "Understanding", dependencies: ["DialogModel", "ParleyJSON", "CivilTime"], swiftSettings: swiftSettings),
        .target(name: "Scripting", dependencies: ["ParleyJSON", "CJavaScriptCore"], swiftSettings: swiftSettings),

        // MARK: The interpreter (no I/O of its own)
        .target(
            name: "DialogRuntime",
            dependencies: ["ParleyJSON", "DialogModel", "Understanding", "Scripting", "WebEncoding"],
            swiftSettings: swiftSettings),

        // MARK: Salesforce: one wire model, the client, the local sandbox
        .target(name: "SalesforceWire", dependencies: ["ParleyJSON"], swiftSettings: swiftSettings),
        // Serving on this machine while work runs: the sandbox and the OAuth callback server.
        .target(
            name: "LocalServing", dependencies: [.product(name: "Hummingbird", package: "hummingbird")],
            swiftSettings: swiftSettings),
        .target(
            name: "SalesforceAPI",
            dependencies: [
                "SalesforceWire", "WebEncoding",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        .target(
            name: "SalesforceSandbox",
            dependencies: [
                "SalesforceWire", "LocalServing", "WebEncoding", "CivilTime",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),

        .target(
            name: "SalesforceSandboxTesting",
            dependencies: [
                "SalesforceSandbox", "ParleyJSON", "WebEncoding",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings),

        // MARK: Actions, authorization profiles, token vault, HTTP services
        .target(
            name: "Integrations",
            dependencies: [
                "DialogRuntime", "SalesforceAPI", "LocalServing", "WebEncoding",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // The Salesforce templates, compiled in: `parley templates install` writes them out.
            resources: [.embedInCode("Templates/Salesforce")],
            swiftSettings: swiftSettings),

        // MARK: The host: assembles a running bot from a bot folder, a state folder and options, or in memory
        .target(
            name: "BotHost",
            dependencies: [
                "DialogModel", "DialogRuntime", "ParleyJSON", "Integrations", "SalesforceAPI", "SalesforceSandbox",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings),

        // MARK: Channels: line editing and the REPL; each only turns input into turns
        .target(name: "LineEditing", dependencies: ["CEditLine"], swiftSettings: swiftSettings),
        .target(
            name: "Channels", dependencies: ["BotHost", "DialogRuntime", "DialogModel", "ParleyJSON", "LineEditing"],
            swiftSettings: swiftSettings),

        // MARK: Transcripts: the .chat parser, runner, recorder and reports, each transcript on a bot the host
        // assembles in memory, with its own sandbox
        .target(
            name: "Transcripts",
            dependencies: [
                "BotHost", "Channels", "DialogRuntime", "DialogModel", "ParleyJSON", "Integrations", "SalesforceAPI",
                "SalesforceSandbox", "SalesforceSandboxTesting", "WebEncoding",
            ],
            swiftSettings: swiftSettings),

        // The HTTP channel: `parley serve`'s JSON API, events, web chat page and metrics; only turns requests into turns.
        .target(
            name: "HTTPChannel",
            dependencies: [
                "BotHost", "DialogRuntime", "DialogModel", "ParleyJSON", "Integrations", "LocalServing", "WebEncoding",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings),

        // MARK: The command line, thin
        .executableTarget(
            name: "parley",
            dependencies: [
                "BotHost", "Channels", "HTTPChannel", "Transcripts", "Integrations", "SalesforceSandbox",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        .executableTarget(
            name: "ParleyBench",
            dependencies: [
                "DialogRuntime", "DialogModel", "ParleyJSON", "BotHost", "Channels", "Transcripts", "SalesforceSandbox",
                "SalesforceAPI", "Integrations", "LocalServing",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                // The serve benchmark's load generator: lean HTTP/1.1 on one event loop.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Benchmarks/ParleyBench",
            swiftSettings: swiftSettings),

        // MARK: Tests, one target per module
        .testTarget(name: "ParleyJSONTests", dependencies: ["ParleyJSON"], swiftSettings: swiftSettings),
        .testTarget(name: "WebEncodingTests", dependencies: ["WebEncoding"], swiftSettings: swiftSettings),
        .testTarget(name: "CivilTimeTests", dependencies: ["CivilTime"], swiftSettings: swiftSettings),
        .testTarget(
            name: "DialogModelTests", dependencies: ["DialogModel", "ParleyJSON"], exclude: ["Fixtures"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "UnderstandingTests", dependencies: ["Understanding", "DialogModel", "ParleyJSON"],
            swiftSettings: swiftSettings),
        .testTarget(name: "ScriptingTests", dependencies: ["Scripting", "ParleyJSON"], swiftSettings: swiftSettings),
        .testTarget(
            name: "DialogRuntimeTests", dependencies: ["DialogRuntime", "DialogModel", "ParleyJSON"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "SalesforceSandboxTests",
            dependencies: [
                "SalesforceSandbox", "SalesforceSandboxTesting", "SalesforceWire", "WebEncoding", "CivilTime",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "SalesforceAPITests",
            dependencies: [
                "SalesforceAPI", "SalesforceSandbox", "SalesforceSandboxTesting", "SalesforceWire", "ParleyJSON",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "IntegrationsTests",
            dependencies: ["Integrations", "SalesforceSandbox", "SalesforceSandboxTesting", "WebEncoding"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "TranscriptsTests",
            dependencies: [
                "Transcripts", "Channels", "DialogRuntime", "DialogModel", "ParleyJSON", "SalesforceSandbox", "Integrations",
            ],
            exclude: ["Transcripts"],
            swiftSettings: swiftSettings),
        .testTarget(name: "BotHostTests", dependencies: ["BotHost"], swiftSettings: swiftSettings),
        .testTarget(name: "LineEditingTests", dependencies: ["LineEditing"], swiftSettings: swiftSettings),
        .testTarget(
            name: "FuzzRegressionTests",
            dependencies: [
                "SalesforceSandbox", "SalesforceWire", "ParleyJSON", "DialogModel", "Transcripts", "Scripting",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "ParleyCLITests",
            dependencies: [
                "parley", "ParleyJSON", "SalesforceSandboxTesting", "HTTPChannel", "DialogRuntime", "Integrations",
                "LocalServing", "SalesforceAPI",
                .product(name: "Yams", package: "Yams"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Fixtures", "Snapshots"],
            swiftSettings: swiftSettings),
    ]
)

// MARK: Fuzzing: one libFuzzer executable per parser (`make fuzz`). Declared only when PARLEY_FUZZ is set,
// so ordinary builds neither compile them nor need libFuzzer's `main`.
if Context.environment["PARLEY_FUZZ"] != nil {
    let fuzzTargets: [(name: String, dependencies: [Target.Dependency])] = [
        ("FuzzSOQL", ["SalesforceSandbox", "SalesforceWire", .product(name: "GRDB", package: "GRDB.swift")]),
        ("FuzzSOSL", ["SalesforceSandbox", "SalesforceWire", .product(name: "GRDB", package: "GRDB.swift")]),
        ("FuzzJSON", ["ParleyJSON"]),
        ("FuzzDialogYAML", ["DialogModel"]),
        ("FuzzTranscript", ["Transcripts"]),
        ("FuzzTemplate", ["Scripting", "ParleyJSON"]),
    ]
    for target in fuzzTargets {
        package.targets.append(
            .executableTarget(
                name: target.name, dependencies: target.dependencies, path: "Fuzz/Targets/\(target.name)",
                swiftSettings: swiftSettings + [.unsafeFlags(["-parse-as-library"])]))
    }
}
