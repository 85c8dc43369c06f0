// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "fxrates",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "fxrates", targets: ["fxrates"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.20.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.3.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.24.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.0.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        // TLS to Redis, the ECB sync's HTTPS client and the OTLP/HTTP trace exporter share one BoringSSL build.
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.29.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.25.0"),
        // OTLP over HTTP only: the gRPC exporter (the default trait) would add grpc-swift to every build.
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
        // The tracing API the request middleware and the child spans use (swift-otel and Hummingbird use it too).
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.2.0"),
    ],
    targets: [
        // The money domain and the limiter arithmetic: Foundation only, no HTTP, database or Redis.
        .target(
            name: "FXCore",
            dependencies: ["FXSupport"],
            resources: [.copy("Resources/eurofxref-hist.csv")]
        ),
        // Small tools of every layer that are not money: reconnect backoff, an LRU cache, digit formatting, and
        // SHA-1/SHA-256 through libcrypto (API keys, script names, the snapshot digest).
        .target(name: "FXSupport", dependencies: ["CLibcrypto"]),
        // Running a client's `run()` around a body, and deadlines enforced in the caller's task: shared by the
        // clients, the command-line tool and the tests.
        .target(
            name: "FXLifecycle",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // libpq's header (libpq-dev), and libpq itself opened when PostgreSQL is first used rather than linked:
        // an embedded replica never maps it nor what it pulls in.
        .target(name: "CLibpq"),
        .target(
            name: "FXPostgres",
            dependencies: [
                "CLibpq",
                "FXCore",
                "FXSupport",
                "FXLifecycle",
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
                "FXTestSupport",
                "FXPostgres",
                "CLibpq",
                "FXLifecycle",
                "FXCore",
                "FXSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Redis through hiredis, with SwiftNIO doing the I/O.
        // No pkgConfig: Debian's hiredis.pc adds -D_FILE_OFFSET_BITS=64, which SwiftPM rejects with a
        // warning; shim.h includes <hiredis/hiredis.h> and the module map links hiredis by itself.
        .systemLibrary(
            name: "CHiredis",
            providers: [.apt(["libhiredis-dev"])]
        ),
        // OpenSSL's libcrypto, for SHA-1 and SHA-256 (FXSupport's MessageDigest) with the CPU's SHA instructions. libpq already loads it (libpq5 depends on libssl3; libpq-dev on libssl-dev),
        // so it adds no package to the image. No pkgConfig, as with hiredis: its flags are not needed.
        .systemLibrary(
            name: "CLibcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(
            name: "FXRedis",
            dependencies: [
                "CHiredis",
                "FXCore",
                "FXSupport",
                "FXLifecycle",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The bare Hummingbird app that `make bench` measures fxrates against.
        .executableTarget(
            name: "fxrates-reference",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")],
            path: "loadtest/reference"
        ),
        .executableTarget(
            name: "fxredis-bench",
            dependencies: [
                "FXCore",
                "FXRedis",
                "FXLifecycle",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "loadtest/redis-bench"
        ),
        .testTarget(
            name: "FXRedisTests",
            dependencies: [
                "FXTestSupport",
                "FXRedis",
                "FXLifecycle",
                "FXCore",
                "FXSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Rates in PostgreSQL: the rate store the server reads, admin writes and the ECB import.
        .target(
            name: "FXStorage",
            dependencies: [
                "FXCore",
                "FXPostgres",
                "FXAPIKeys",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        .target(
            name: "FXServer",
            dependencies: [
                "CMalloc",
                "FXCore",
                "FXSupport",
                "FXRedis",
                "FXStorage",
                "FXAPIKeys",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            resources: [.copy("Resources/openapi.json"), .copy("Resources/docs")]
        ),
        // `fxrates sync ecb`: the ECB feeds over HTTP(S) (AsyncHTTPClient, shared with the OTLP/HTTP exporter),
        // imported through FXStorage's merge.
        .target(
            name: "FXECBSync",
            dependencies: [
                "FXCore",
                "FXSupport",
                "FXStorage",
                "FXPostgres",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // API keys in PostgreSQL: the key store the server reads and the `fxrates keys` commands.
        .target(name: "FXAPIKeys", dependencies: ["FXCore", "FXPostgres"]),
        .executableTarget(
            name: "fxrates",
            dependencies: [
                "CMalloc",
                "FXServer",
                "FXAPIKeys",
                "FXLifecycle",
                "FXStorage",
                "FXPostgres",
                "FXRedis",
                "FXECBSync",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            plugins: ["BuildCommit"]
        ),
        // The commit `fxrates --version` prints, taken at build time (Plugins/BuildCommit).
        .plugin(name: "BuildCommit", capability: .buildTool()),
        .testTarget(name: "FXCoreTests", dependencies: ["FXCore", "FXSupport"]),
        // glibc's mallopt, for `serve`'s allocator tuning.
        .systemLibrary(name: "CMalloc"),
        // Helpers of the test targets: a private redis-server per test that needs one.
        .target(
            name: "FXTestSupport",
            dependencies: [
                "FXPostgres",
                "FXLifecycle",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Tests/FXTestSupport"
        ),
        .testTarget(
            name: "FXServerTests",
            dependencies: [
                "FXTestSupport",
                "FXServer",
                "FXLifecycle",
                "FXAPIKeys",
                "FXStorage",
                "FXPostgres",
                "FXECBSync",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "CompressNIO", package: "compress-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
