// swift-tools-version: 6.0
// Temporary manifest holding only the PostgreSQL targets; the lead merges the
// block between the markers into the main fxrates manifest.
import PackageDescription

let package = Package(
    name: "fxrates-postgres",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "FXPostgres", targets: ["FXPostgres"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.6.0"),
    ],
    targets: [
        // MARK: PostgreSQL targets (begin)
        .systemLibrary(
            name: "CLibpq",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .target(
            name: "FXPostgres",
            dependencies: [
                "CLibpq",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Migrations")]
        ),
        .testTarget(
            name: "FXPostgresTests",
            dependencies: [
                "FXPostgres",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // MARK: PostgreSQL targets (end)
    ],
    swiftLanguageModes: [.v6]
)
