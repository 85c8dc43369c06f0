// swift-tools-version: 6.0
// Temporary manifest holding only the Redis targets; the lead merges the
// block between the markers into the main fxrates manifest.
import PackageDescription

let package = Package(
    name: "fxrates-redis",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "FXRedis", targets: ["FXRedis"]),
        .executable(name: "fxredis-bench", targets: ["fxredis-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
    ],
    targets: [
        // MARK: Redis targets (begin)
        .systemLibrary(
            name: "CHiredis",
            pkgConfig: "hiredis",
            providers: [.apt(["libhiredis-dev"])]
        ),
        .target(
            name: "FXRedis",
            dependencies: [
                "CHiredis",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "fxredis-bench",
            dependencies: [
                "FXRedis",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "loadtest/redis-bench"
        ),
        .testTarget(
            name: "FXRedisTests",
            dependencies: [
                "FXRedis",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // MARK: Redis targets (end)
    ],
    swiftLanguageModes: [.v6]
)
