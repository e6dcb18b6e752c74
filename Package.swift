// swift-tools-version:6.1
import PackageDescription

/// Applied to every target of ours. Swift 6 language mode (the tools-version default) gives strict concurrency.
let swiftSettings: [SwiftSetting] =
    [
        // Catch accidental existential use early; it costs an allocation on hot paths.
        .enableUpcomingFeature("ExistentialAny"),
        // Internal imports by default keep each module's public surface explicit.
        .enableUpcomingFeature("InternalImportsByDefault"),
    ]
    // Warnings are errors in CI, so a warning never lands.
    + (Context.environment["CI"] != nil ? [.unsafeFlags(["-warnings-as-errors"])] : [])

let package = Package(
    name: "Portico",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "Gateway", targets: ["Gateway"]),
        .library(name: "RateLimit", targets: ["RateLimit"]),
        .library(name: "CircuitBreaker", targets: ["CircuitBreaker"]),
        .library(name: "Auth", targets: ["Auth"]),
        .executable(name: "portico", targets: ["PorticoServer"]),
        .executable(name: "portico-mock-backend", targets: ["PorticoMockBackend"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
    ],
    targets: [
        .target(
            name: "Gateway",
            dependencies: [
                "RateLimit", "CircuitBreaker", "Auth",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                // Backend responses: gzip decoded as Go's transport does (NIOHTTPResponseDecompressor).
                .product(name: "NIOHTTPCompression", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RateLimit",
            dependencies: [
                "CHiredis",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: swiftSettings
        ),
        // hiredis 0.14 (Debian's libhiredis-dev): its reply reader and command formatter; the I/O is SwiftNIO's.
        .systemLibrary(name: "CHiredis", pkgConfig: "hiredis", providers: [.apt(["libhiredis-dev"])]),
        .target(name: "CircuitBreaker", swiftSettings: swiftSettings),
        .target(
            name: "Auth",
            dependencies: [
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "PorticoServer",
            dependencies: [
                "Gateway",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "MockBackend",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "PorticoMockBackend",
            dependencies: [
                "MockBackend",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ExampleHeaderExtension",
            dependencies: [
                "Gateway",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "PorticoBenchmarks",
            dependencies: [
                "Gateway", "CircuitBreaker", "RateLimit", "Auth", .product(name: "JWTKit", package: "jwt-kit"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "GatewayTests", dependencies: ["Gateway"], swiftSettings: swiftSettings),
        .testTarget(
            name: "GatewayIntegrationTests",
            dependencies: [
                "Gateway", "ExampleHeaderExtension", "MockBackend", "Auth", "PorticoTestSupport",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                // Circuit-breaker tests: a manual breaker clock, and gauges read without a global bootstrap.
                "CircuitBreaker", .product(name: "MetricsTestKit", package: "swift-metrics"),
            ],
            // Spec files are read from the source tree at run time (see SpecTests), not bundled.
            exclude: ["Specs"],
            swiftSettings: swiftSettings
        ),
        // Test helpers shared by several test targets (a real redis-server process).
        .target(name: "PorticoTestSupport", path: "Tests/PorticoTestSupport", swiftSettings: swiftSettings),
        .testTarget(name: "MockBackendTests", dependencies: ["MockBackend"], swiftSettings: swiftSettings),
        .testTarget(
            name: "RateLimitTests",
            dependencies: [
                "RateLimit", "PorticoTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "CircuitBreakerTests", dependencies: ["CircuitBreaker"], swiftSettings: swiftSettings),
        .testTarget(
            name: "AuthTests",
            dependencies: [
                "Auth",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
