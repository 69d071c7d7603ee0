// swift-tools-version:6.2
import PackageDescription

/// Swift 6 language mode everywhere (strict concurrency), plus explicit imports and `any`.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

extension Target.Dependency {
    static let hummingbird = product(name: "Hummingbird", package: "hummingbird")
    static let postgresNIO = product(name: "PostgresNIO", package: "postgres-nio")
    static let jwtKit = product(name: "JWTKit", package: "jwt-kit")
    static let crypto = product(name: "Crypto", package: "swift-crypto")
    static let logging = product(name: "Logging", package: "swift-log")
    static let metrics = product(name: "Metrics", package: "swift-metrics")
    static let prometheus = product(name: "Prometheus", package: "swift-prometheus")
    static let serviceLifecycle = product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
    static let unixSignals = product(name: "UnixSignals", package: "swift-service-lifecycle")
    static let asyncHTTPClient = product(name: "AsyncHTTPClient", package: "async-http-client")
    static let argumentParser = product(name: "ArgumentParser", package: "swift-argument-parser")
    static let httpTypes = product(name: "HTTPTypes", package: "swift-http-types")
    static let nioCore = product(name: "NIOCore", package: "swift-nio")
    static let nioPosix = product(name: "NIOPosix", package: "swift-nio")
    static let nioHTTP1 = product(name: "NIOHTTP1", package: "swift-nio")
    static let nioConcurrency = product(name: "NIOConcurrencyHelpers", package: "swift-nio")
    static let nioFoundation = product(name: "NIOFoundationCompat", package: "swift-nio")
    static let nioSSL = product(name: "NIOSSL", package: "swift-nio-ssl")
    static let clocks = product(name: "Clocks", package: "swift-clocks")
}

let package = Package(
    name: "kisum",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "kisum-ops", targets: ["kisum-ops"]),
        .executable(name: "kisum-canary", targets: ["kisum-canary"]),
        .executable(name: "kisum-core", targets: ["kisum-core"]),
        .executable(name: "kisum-auth", targets: ["kisum-auth"]),
        .executable(name: "kisum-admin", targets: ["kisum-admin"]),
        .executable(name: "kisum-basic", targets: ["kisum-basic"]),
        .executable(name: "kisum-finance", targets: ["kisum-finance"]),
        .executable(name: "kisum-market", targets: ["kisum-market"]),
        .executable(name: "kisum-touring", targets: ["kisum-touring"]),
        .executable(name: "kisum-venue", targets: ["kisum-venue"]),
        .executable(name: "kisum-ai", targets: ["kisum-ai"]),
        .executable(name: "kisum-console", targets: ["kisum-console"]),
        .executable(name: "bench-hello", targets: ["bench-hello"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/pointfreeco/swift-clocks.git", from: "1.1.1"),
        .package(url: "https://github.com/pointfreeco/swift-snapshot-testing.git", from: "1.19.7"),
    ],
    targets: [
        // C libraries from Debian's -dev packages (headers on the default include path, except
        // libpq's, which pkg-config supplies).
        .systemLibrary(name: "CHiredis", providers: [.apt(["libhiredis-dev"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CNCurses", providers: [.apt(["libncurses-dev"])]),
        .systemLibrary(name: "CArgon2", providers: [.apt(["libargon2-dev"])]),

        // The platform kit every daemon is composed from.
        .target(
            name: "PlatformKit",
            dependencies: [.hummingbird, .logging, .metrics, .prometheus, .serviceLifecycle, .asyncHTTPClient,
                           .httpTypes, .nioCore, .nioHTTP1, .nioConcurrency, .nioFoundation],
            swiftSettings: strict),
        .target(
            name: "PlatformPostgres",
            dependencies: ["PlatformKit", "CLibPQ", .postgresNIO, .product(name: "_ConnectionPoolModule", package: "postgres-nio"), .nioSSL, .nioCore, .nioPosix, .nioConcurrency, .crypto, .prometheus,
                           .serviceLifecycle, .logging],
            swiftSettings: strict),
        .target(
            name: "PlatformRedis",
            dependencies: ["PlatformKit", "CHiredis", .nioCore, .nioPosix, .nioConcurrency, .prometheus,
                           .serviceLifecycle, .logging],
            swiftSettings: strict),
        .target(
            name: "ServiceAuth",
            dependencies: ["PlatformKit", .jwtKit, .prometheus, .hummingbird, .httpTypes, .nioConcurrency, .logging, .crypto],
            swiftSettings: strict),
        .target(
            name: "PlatformDaemon",
            dependencies: ["PlatformKit", "PlatformPostgres", "PlatformRedis", "ServiceAuth", "AccessControl", .hummingbird, .logging,
                           .metrics, .prometheus, .serviceLifecycle, .unixSignals, .asyncHTTPClient, .nioCore,
                           .nioConcurrency, .product(name: "Yams", package: "Yams")],
            swiftSettings: strict),

        // What every service other than Auth needs to trust Auth's tokens.
        .target(
            name: "AccessControl",
            dependencies: ["PlatformKit", "ServiceAuth", .jwtKit, .asyncHTTPClient, .hummingbird, .serviceLifecycle, .prometheus, .logging, .nioCore, .nioPosix, .nioConcurrency, .nioFoundation,
                           .nioHTTP1, .httpTypes],
            swiftSettings: strict),

        // Services.
        .target(
            name: "CanaryService",
            dependencies: ["PlatformDaemon", "PlatformKit", "PlatformPostgres", "PlatformRedis", "AccessControl", .hummingbird, .postgresNIO, .logging, .httpTypes],
            resources: [.copy("Migrations"), .copy("OpenAPI")],
            swiftSettings: strict),

        .target(
            name: "CoreService",
            dependencies: ["PlatformDaemon", "PlatformKit", "PlatformPostgres", "ServiceAuth", .hummingbird, .postgresNIO, .logging, .httpTypes, .crypto,
                           .serviceLifecycle, .nioCore, .nioConcurrency, .prometheus],
            resources: [.copy("Migrations"), .copy("OpenAPI")],
            swiftSettings: strict),

        .target(
            name: "AuthService",
            dependencies: ["PlatformDaemon", "PlatformKit", "PlatformPostgres", "AccessControl", "CArgon2", .hummingbird, .postgresNIO, .logging, .httpTypes, .crypto,
                           .product(name: "CryptoExtras", package: "swift-crypto"), .jwtKit, .serviceLifecycle, .nioCore,
                           .nioPosix, .nioConcurrency, .nioFoundation, .nioHTTP1, .asyncHTTPClient, .prometheus, "ServiceAuth", "PlatformRedis"],
            resources: [.copy("Migrations"), .copy("OpenAPI")],
            swiftSettings: strict),

        .target(
            name: "AdminService",
            dependencies: ["PlatformDaemon", "PlatformKit", "PlatformPostgres", "AccessControl", .hummingbird, .postgresNIO, .logging, .httpTypes, .nioCore, .jwtKit,
                           .nioFoundation, .nioHTTP1, .asyncHTTPClient, .prometheus],
            resources: [.copy("Migrations"), .copy("OpenAPI")],
            swiftSettings: strict),

        // Business backends: one shared layer (database, access layer, company scope, pages,
        // input rules), then per backend only its routes, repositories and permission table.
        .target(
            name: "BusinessBackend",
            dependencies: ["PlatformDaemon", "PlatformKit", "PlatformPostgres", "AccessControl", .hummingbird, .httpTypes, .logging,
                           .postgresNIO, .crypto, .nioCore, .nioFoundation],
            swiftSettings: strict),
        .target(
            name: "BasicService",
            dependencies: ["BusinessBackend", "PlatformDaemon", "PlatformKit", "PlatformPostgres", "AccessControl", "ServiceAuth", .hummingbird,
                           .postgresNIO, .logging, .httpTypes],
            resources: [.copy("Migrations"), .copy("OpenAPI")],
            swiftSettings: strict),
        .target(
            name: "FinanceService",
            dependencies: ["BusinessBackend", "PlatformDaemon", "PlatformKit", "PlatformPostgres", "AccessControl", .hummingbird,
                           .postgresNIO, .logging, .httpTypes],
            resources: [.copy("Migrations"), .copy("OpenAPI")],
            swiftSettings: strict),
        .target(
            name: "MarketService",
            dependencies: ["BusinessBackend", "PlatformDaemon", "PlatformKit", "PlatformPostgres", "AccessControl", .hummingbird,
                           .postgresNIO, .logging],
            resources: [.copy("Migrations"), .copy("OpenAPI")],
            swiftSettings: strict),
        .target(
            name: "TouringService",
            dependencies: ["BusinessBackend", "PlatformDaemon", "PlatformKit", "PlatformPostgres", "AccessControl", .hummingbird,
                           .postgresNIO, .logging],
            resources: [.copy("Migrations"), .copy("OpenAPI")],
            swiftSettings: strict),
        .target(
            name: "VenueService",
            dependencies: ["BusinessBackend", "PlatformDaemon", "PlatformKit", "PlatformPostgres", "AccessControl", .hummingbird,
                           .postgresNIO, .logging],
            resources: [.copy("Migrations"), .copy("OpenAPI")],
            swiftSettings: strict),
        .target(
            name: "AIService",
            dependencies: ["BusinessBackend", "PlatformDaemon", "PlatformKit", "PlatformPostgres", "AccessControl", .hummingbird,
                           .postgresNIO, .logging, .httpTypes, .asyncHTTPClient, .nioCore, .nioPosix, .nioFoundation, .nioHTTP1, .prometheus,
                           .serviceLifecycle],
            resources: [.copy("Migrations"), .copy("OpenAPI")],
            swiftSettings: strict),

        // The post-deployment smoke test (HTTP only), for kisum-ops and pipelines.
        .target(
            name: "PlatformSmoke",
            dependencies: ["PlatformKit", "ServiceAuth", .httpTypes, .nioCore, .nioFoundation],
            swiftSettings: strict),

        // The operations console: a pure model (targets, probes, rates, state, screens in a cell
        // grid), the collectors that read the daemons over HTTP, and the terminal (ncurses or
        // headless). It never imports daemon code.
        .target(name: "ConsoleModel", dependencies: ["RunbookEngine"], swiftSettings: strict),
        // The runbook engine: runbook files (YAML), validation, inputs, dry run, execution through
        // the Admin API as the operator; no terminal code.
        // The service inventory (daemons/inventory.yml) and everything generated from it.
        .target(name: "PlatformInventory", dependencies: ["PlatformDaemon", "PlatformKit", "ConsoleModel", .product(name: "Yams", package: "Yams")],
                swiftSettings: strict),
        .target(name: "RunbookEngine", dependencies: [.product(name: "Yams", package: "Yams")], swiftSettings: strict),
        .target(name: "ConsoleCollectors", dependencies: ["ConsoleModel", "RunbookEngine", .asyncHTTPClient, .nioCore, .nioHTTP1, .nioFoundation,
                                                          .nioPosix, .nioSSL, .product(name: "NIOTLS", package: "swift-nio")],
                swiftSettings: strict),
        .target(name: "ConsoleTerminal", dependencies: ["ConsoleModel", "RunbookEngine", "CNCurses", .nioConcurrency], swiftSettings: strict),

        // Executables.
        .executableTarget(name: "kisum-canary", dependencies: ["CanaryService", "PlatformDaemon"], swiftSettings: strict),
        .executableTarget(name: "kisum-core", dependencies: ["CoreService", "PlatformDaemon"], swiftSettings: strict),
        .executableTarget(name: "kisum-auth", dependencies: ["AuthService", "PlatformDaemon"], swiftSettings: strict),
        .executableTarget(name: "kisum-admin", dependencies: ["AdminService", "PlatformDaemon"], swiftSettings: strict),
        .executableTarget(name: "kisum-basic", dependencies: ["BasicService", "PlatformDaemon"], swiftSettings: strict),
        .executableTarget(name: "kisum-finance", dependencies: ["FinanceService", "PlatformDaemon"], swiftSettings: strict),
        .executableTarget(name: "kisum-market", dependencies: ["MarketService", "PlatformDaemon"], swiftSettings: strict),
        .executableTarget(name: "kisum-touring", dependencies: ["TouringService", "PlatformDaemon"], swiftSettings: strict),
        .executableTarget(name: "kisum-venue", dependencies: ["VenueService", "PlatformDaemon"], swiftSettings: strict),
        .executableTarget(name: "kisum-ai", dependencies: ["AIService", "PlatformDaemon"], swiftSettings: strict),
        .executableTarget(name: "kisum-console", dependencies: ["ConsoleModel", "ConsoleCollectors", "ConsoleTerminal", "RunbookEngine", .argumentParser,
                                                                .asyncHTTPClient, .nioCore],
                          swiftSettings: strict),
        // A bare Hummingbird route: the framework's own ceiling in benchmarks.
        .executableTarget(name: "bench-hello", dependencies: [.hummingbird], swiftSettings: strict),
        .executableTarget(
            name: "kisum-ops",
            dependencies: ["PlatformDaemon", "CanaryService", "CoreService", "AuthService", "AdminService", "BasicService", "FinanceService", "MarketService",
                           "TouringService", "VenueService", "AIService", "PlatformSmoke", "PlatformKit",
                           "PlatformPostgres", "ServiceAuth", "ConsoleModel", "ConsoleCollectors", "RunbookEngine", "PlatformInventory", .argumentParser,
                           .asyncHTTPClient, .crypto, .httpTypes, .nioCore, .nioHTTP1],
            swiftSettings: strict),

        // Tests. `PlatformTesting` reaches the real PostgreSQL and Redis that `./kisum test` starts.
        .target(
            name: "PlatformTesting",
            dependencies: ["PlatformDaemon", "PlatformKit", "PlatformPostgres", "ServiceAuth", .asyncHTTPClient, .hummingbird, .httpTypes,
                           .serviceLifecycle, .logging, .nioCore, .nioHTTP1, .nioFoundation, .nioConcurrency, .nioPosix],
            path: "Tests/PlatformTesting",
            swiftSettings: strict),
        // Worlds of running daemons that several test targets share (Auth with fast keys, …).
        .target(
            name: "ServiceWorlds",
            dependencies: ["AuthService", "CoreService", "AccessControl", "PlatformDaemon", "PlatformKit", "PlatformPostgres", "ServiceAuth",
                           "PlatformTesting", .jwtKit, .nioConcurrency, .nioCore, .httpTypes],
            path: "Tests/ServiceWorlds",
            swiftSettings: strict),
        .testTarget(
            name: "AccessControlTests",
            dependencies: ["AccessControl", "PlatformKit", "PlatformTesting", .nioConcurrency],
            swiftSettings: strict),
        .testTarget(
            name: "InventoryTests",
            dependencies: ["PlatformInventory", "PlatformDaemon", "PlatformKit", "PlatformPostgres", "PlatformTesting", "ServiceAuth", "ServiceWorlds", "CoreService", "AuthService", "AdminService",
                           "CanaryService", "BasicService", "FinanceService", "MarketService", "TouringService", "VenueService", "AIService",
                           "ConsoleModel", "ConsoleCollectors", .product(name: "Yams", package: "Yams"), .httpTypes, .nioConcurrency],
            swiftSettings: strict),
        .testTarget(
            name: "RunbookEngineTests",
            dependencies: ["RunbookEngine", .nioConcurrency],
            swiftSettings: strict),
        .testTarget(
            name: "ConsoleTests",
            dependencies: ["ConsoleModel", "ConsoleCollectors", "ConsoleTerminal", "RunbookEngine", .asyncHTTPClient, .hummingbird, .nioCore, .nioPosix,
                           .nioConcurrency, .product(name: "SnapshotTesting", package: "swift-snapshot-testing")],
            exclude: ["__Snapshots__"],
            swiftSettings: strict),
        .testTarget(
            name: "PlatformKitTests",
            dependencies: ["PlatformKit", .hummingbird, .logging, .nioCore],
            swiftSettings: strict),
        .testTarget(
            name: "PlatformIntegrationTests",
            dependencies: ["PlatformDaemon", "PlatformKit", "PlatformPostgres", "ServiceAuth", "CanaryService", "CoreService",
                           "AuthService", "PlatformTesting", .logging, .nioConcurrency, .httpTypes, .clocks, .serviceLifecycle],
            swiftSettings: strict),
        .testTarget(
            name: "ServiceAuthTests",
            dependencies: ["ServiceAuth", .jwtKit, .crypto],
            swiftSettings: strict),
        .testTarget(
            name: "PlatformPostgresTests",
            dependencies: ["PlatformPostgres", "PlatformKit", "PlatformTesting", .postgresNIO, .logging],
            swiftSettings: strict),
        .testTarget(
            name: "PlatformRedisTests",
            dependencies: ["PlatformRedis", "PlatformKit", "PlatformTesting", .logging, .nioCore, .nioPosix, .nioConcurrency, .clocks],
            swiftSettings: strict),
        .testTarget(
            name: "CoreServiceTests",
            dependencies: ["CoreService", "PlatformDaemon", "PlatformKit", "ServiceAuth", "PlatformTesting", .hummingbird,
                           .logging, .postgresNIO, .nioConcurrency],
            swiftSettings: strict),
        .testTarget(
            name: "AuthServiceTests",
            dependencies: ["AuthService", "CoreService", "CanaryService", "PlatformDaemon", "PlatformKit", "PlatformPostgres", "PlatformRedis",
                           "ServiceAuth", "PlatformTesting", "ServiceWorlds", "AccessControl", .jwtKit, .httpTypes, .logging, .hummingbird, .crypto, .nioCore,
                           .nioConcurrency, .nioFoundation,
                           .product(name: "Yams", package: "Yams")],
            swiftSettings: strict),
        .testTarget(
            name: "BusinessBackendTests",
            dependencies: ["BusinessBackend", "BasicService", "FinanceService", "MarketService", "TouringService", "VenueService", "AIService", "AuthService", "CoreService", "AccessControl", "PlatformDaemon", "PlatformKit",
                           "PlatformPostgres", "ServiceAuth", "PlatformTesting", "ServiceWorlds", "PlatformSmoke", .hummingbird, .httpTypes, .logging],
            swiftSettings: strict),
        .testTarget(
            name: "AdminServiceTests",
            dependencies: ["AdminService", "PlatformSmoke", "AuthService", "CoreService", "PlatformDaemon", "PlatformKit", "PlatformPostgres",
                           "ServiceAuth", "PlatformTesting", "ServiceWorlds", "BasicService", "FinanceService", "MarketService", "TouringService",
                           "VenueService", "AIService", "RunbookEngine", "ConsoleCollectors", "ConsoleModel", .asyncHTTPClient, .nioCore],
            swiftSettings: strict),
    ]
)
