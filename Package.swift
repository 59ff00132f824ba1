// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "DriftLab",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "MonitorNumerics", targets: ["MonitorNumerics"]),
        .library(name: "Monitoring", targets: ["Monitoring"]),
        .library(name: "TrafficSimulator", targets: ["TrafficSimulator"]),
        .library(name: "DriftDetection", targets: ["DriftDetection"]),
        .library(name: "DriftLabTestSupport", targets: ["DriftLabTestSupport"]),
        .executable(name: "notebooks", targets: ["notebooks"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        .systemLibrary(
            name: "CBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .target(
            name: "MonitorNumerics",
            dependencies: ["CBLAS"]
        ),
        .target(
            name: "Monitoring",
            dependencies: [
                "MonitorNumerics",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "TrafficSimulator",
            dependencies: ["Monitoring", "MonitorNumerics", "DriftLabTestSupport"]
        ),
        .target(
            name: "DriftDetection",
            dependencies: ["Monitoring", "MonitorNumerics", "TrafficSimulator", "DriftLabTestSupport"]
        ),
        .target(
            name: "DriftLabTestSupport"
        ),
        .executableTarget(
            name: "notebooks",
            dependencies: [
                "Monitoring",
                "MonitorNumerics",
                "DriftLabTestSupport",
                "TrafficSimulator",
                "DriftDetection",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "notebooks-cli"
        ),
        .testTarget(
            name: "MonitorNumericsTests",
            dependencies: ["MonitorNumerics", "DriftLabTestSupport"]
        ),
        .testTarget(
            name: "DriftDetectionTests",
            dependencies: ["DriftDetection", "TrafficSimulator", "Monitoring", "MonitorNumerics", "DriftLabTestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "TrafficSimulatorTests",
            dependencies: ["TrafficSimulator", "Monitoring", "MonitorNumerics", "DriftLabTestSupport"]
        ),
        .testTarget(
            name: "MonitoringTests",
            dependencies: ["Monitoring", "MonitorNumerics", "DriftLabTestSupport"],
            resources: [.copy("Fixtures"), .copy("PythonFixtures")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
