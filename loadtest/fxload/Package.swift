// swift-tools-version: 6.1
// fxload, the open-model load generator of loadtest/: its own package, so the fxrates build (and CI's compile
// time) never pays for it. FXLoadCore holds everything that can be tested without a network: the arrival
// schedule, the mix, the statistics and the thresholds; FXLoadEngine sends on NIO (tested against real
// sockets); the executable adds the command line. fxfault, the fault proxy between the cluster's replicas and
// its data stores, lives here for the same reason: FXFaultCore is its pure part (the control API, the fault
// switch, the pacing), FXFaultProxy the NIO engine.
import PackageDescription

let nio: [Target.Dependency] = [
    .product(name: "NIOCore", package: "swift-nio"),
    .product(name: "NIOPosix", package: "swift-nio"),
    .product(name: "NIOHTTP1", package: "swift-nio"),
]

let package = Package(
    name: "fxload",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "fxload", targets: ["fxload"]),
        .executable(name: "fxfault", targets: ["fxfault"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", exact: "0.2.0"),
    ],
    targets: [
        .target(
            name: "FXLoadCore",
            dependencies: [.product(name: "Histogram", package: "hdrhistogram-swift")]
        ),
        .target(
            name: "FXLoadEngine",
            dependencies: ["FXLoadCore"] + nio
        ),
        .executableTarget(
            name: "fxload",
            dependencies: [
                "FXLoadCore",
                "FXLoadEngine",
                "LoadtestCommand",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "LoadtestCommand",
            dependencies: [.product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .target(name: "FXFaultCore"),
        .target(name: "FXFaultProxy", dependencies: ["FXFaultCore"] + nio),
        .executableTarget(
            name: "fxfault",
            dependencies: [
                "FXFaultCore",
                "FXFaultProxy",
                "LoadtestCommand",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "FXLoadCoreTests", dependencies: ["FXLoadCore"]),
        .testTarget(name: "FXFaultCoreTests", dependencies: ["FXFaultCore"]),
        .testTarget(name: "FXFaultProxyTests", dependencies: ["FXFaultCore", "FXFaultProxy"] + nio),
        .testTarget(
            name: "FXLoadEngineTests",
            dependencies: ["FXLoadCore", "FXLoadEngine"] + nio
        ),
    ]
)
