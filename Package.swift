// swift-tools-version:6.1
import PackageDescription

/// Strict Swift 6 everywhere; every target opts in the same way.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "ferry",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ferry", targets: ["Ferry"]),
        .executable(name: "ferry-benchmark", targets: ["FerryBenchmark"]),
        .library(name: "EventLog", targets: ["EventLog"]),
        .library(name: "Postgres", targets: ["Postgres"]),
        .library(name: "Kafka", targets: ["Kafka"]),
        .library(name: "FreeTDS", targets: ["FreeTDS"]),
        .executable(name: "sqlserver-emulator", targets: ["SQLServerEmulatorServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // MARK: C libraries (module map and shim header only)
        .systemLibrary(
            name: "CFreeTDS",
            providers: [.apt(["freetds-dev"])]
        ),
        .systemLibrary(
            name: "CRdKafka",
            pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"])]
        ),
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),

        // MARK: Infrastructure that knows nothing of CDC
        .target(
            name: "Executors",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Postgres",
            dependencies: [
                "CLibPQ", "Executors",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Kafka",
            dependencies: [
                "CRdKafka", "Executors",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "FreeTDS",
            dependencies: [
                "CFreeTDS", "Executors",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(name: "TDSServer", dependencies: [.product(name: "Logging", package: "swift-log"), .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")], swiftSettings: swiftSettings),
        .target(
            name: "SQLite",
            dependencies: [
                "CSQLite", "Executors",
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Ferry
        .target(
            name: "FerryCore",
            swiftSettings: swiftSettings
        ),
        .target(name: "TSQL", swiftSettings: swiftSettings),
        .target(name: "SQLServerEmulator", dependencies: ["TSQL", "Postgres", "TDSServer", .product(name: "Logging", package: "swift-log")], swiftSettings: swiftSettings),
        .target(
            name: "EventLog",
            dependencies: [
                "Kafka", "SQLite",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SQLServerSource",
            dependencies: [
                "FreeTDS", "FerryCore", "EventLog",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PostgresSink",
            dependencies: [
                "Postgres", "FerryCore", "EventLog",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SchemaConversion",
            dependencies: [
                "FreeTDS", "Postgres", "FerryCore", "TSQL",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Validation",
            dependencies: [
                "FreeTDS", "Postgres", "FerryCore",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "Ferry",
            dependencies: [
                "EventLog", "Postgres", "FerryCore", "FreeTDS",
                "SQLServerSource", "PostgresSink", "SchemaConversion", "Validation",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "SQLServerEmulatorServer",
            dependencies: [
                "SQLServerEmulator", "TDSServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Sources/SQLServerEmulatorServer",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "FerryBenchmark",
            dependencies: [
                "EventLog", "Kafka", "PostgresSink", "FerryCore",
                "SchemaConversion", "SQLServerEmulator", "TDSServer", "FreeTDS", "Postgres", "Validation", "SQLServerSource",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),

        // MARK: Tests
        .target(name: "FerryTestSupport", dependencies: ["SQLServerEmulator", "TDSServer", "FreeTDS", "Postgres", .product(name: "Logging", package: "swift-log")], path: "Tests/FerryTestSupport", swiftSettings: swiftSettings),
        .testTarget(name: "FerryTests", dependencies: ["FerryTestSupport", "Postgres", "SQLServerEmulator", "TDSServer", "FreeTDS", "Kafka", "Ferry"], swiftSettings: swiftSettings),
        .testTarget(name: "ExecutorsTests", dependencies: ["Executors"], swiftSettings: swiftSettings),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "FerryTestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "KafkaTests", dependencies: ["Kafka"], swiftSettings: swiftSettings),
        .testTarget(name: "FreeTDSTests", dependencies: ["FreeTDS"], swiftSettings: swiftSettings),
        .testTarget(name: "SQLiteTests", dependencies: ["SQLite"], swiftSettings: swiftSettings),
        .testTarget(name: "EventLogTests", dependencies: ["EventLog", "Kafka", "SQLite", "FerryTestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "TDSServerTests", dependencies: ["TDSServer", "FreeTDS", "CFreeTDS"], swiftSettings: swiftSettings),
        .testTarget(name: "FerryCoreTests", dependencies: ["FerryCore"], swiftSettings: swiftSettings),
        .testTarget(name: "TSQLTests", dependencies: ["TSQL", "SQLServerEmulator"], swiftSettings: swiftSettings),
        .testTarget(name: "SQLServerEmulatorServerTests", dependencies: ["SQLServerEmulator", "TDSServer", "FreeTDS", "FerryTestSupport", "Postgres"], swiftSettings: swiftSettings),
        .testTarget(name: "SQLServerSourceTests", dependencies: ["SQLServerSource", "SQLServerEmulator", "TDSServer", "FreeTDS", "EventLog", "FerryCore", "Postgres", "FerryTestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "PostgresSinkTests", dependencies: ["PostgresSink", "EventLog", "FerryCore", "Postgres", "FerryTestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "SchemaConversionTests", dependencies: ["SchemaConversion", "SQLServerEmulator", "TDSServer", "FreeTDS", "FerryCore", "Postgres", "FerryTestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "ValidationTests", dependencies: ["Validation", "SQLServerEmulator", "TDSServer", "FreeTDS", "FerryCore", "Postgres", "FerryTestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "SQLServerEmulatorTests", dependencies: ["SQLServerEmulator", "Postgres", "FerryTestSupport"], swiftSettings: swiftSettings),
    ]
)
