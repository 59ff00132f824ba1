// swift-tools-version: 6.1
import PackageDescription

// Platforms: Linux only (Debian/Ubuntu with Swift 6.1 or later and libopenblas-dev),
// the only platform that is built and tested. The file I/O has Darwin branches, but
// macOS has never been built or tested, so no Apple platform is declared.
let package = Package(
    name: "DriftLab",
    products: [
        .library(name: "MonitorNumerics", targets: ["MonitorNumerics"]),
        .library(name: "Monitoring", targets: ["Monitoring"]),
        .library(name: "TrafficSimulator", targets: ["TrafficSimulator"]),
        .library(name: "DriftDetection", targets: ["DriftDetection"]),
        .library(name: "DriftEvaluation", targets: ["DriftEvaluation"]),
        .library(name: "MonitorServer", targets: ["MonitorServer"]),
        .executable(name: "notebooks", targets: ["notebooks"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        // AVX2 kernels for the current metrics' passes, chosen at run time
        // (Swift cannot compile one function for a wider instruction set).
        .target(name: "CColumnKernels"),
        .target(
            name: "MonitorNumerics",
            dependencies: ["CBLAS", "CColumnKernels"]
        ),
        .target(
            name: "DriftDetection",
            dependencies: ["MonitorNumerics"]
        ),
        .target(
            name: "Monitoring",
            dependencies: [
                "MonitorNumerics",
                "DriftDetection",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ]
        ),
        .target(
            name: "TrafficSimulator",
            dependencies: ["Monitoring", "MonitorNumerics"]
        ),
        .target(
            name: "DriftEvaluation",
            dependencies: ["DriftDetection", "Monitoring", "MonitorNumerics", "TrafficSimulator",
                           .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "MonitorServer",
            dependencies: [
                "Monitoring",
                "DriftDetection",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "notebooks",
            dependencies: [
                "Monitoring",
                "MonitorNumerics",
                "TrafficSimulator",
                "DriftDetection",
                "DriftEvaluation",
                "MonitorServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "notebooks-cli"
        ),
        .testTarget(
            name: "MonitorNumericsTests",
            dependencies: ["MonitorNumerics"]
        ),
        .testTarget(
            name: "DriftDetectionTests",
            dependencies: ["DriftDetection", "DriftEvaluation", "TrafficSimulator", "Monitoring", "MonitorNumerics"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "TrafficSimulatorTests",
            dependencies: ["TrafficSimulator", "Monitoring", "MonitorNumerics"]
        ),
        .testTarget(
            name: "MonitorServerTests",
            dependencies: [
                "MonitorServer", "Monitoring",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "MonitoringTests",
            dependencies: ["Monitoring", "MonitorNumerics", .product(name: "Logging", package: "swift-log"),
                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")],
            resources: [.copy("Fixtures"), .copy("PythonFixtures")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
