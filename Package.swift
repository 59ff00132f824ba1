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
        .library(name: "DriftEvaluation", targets: ["DriftEvaluation"]),
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
            name: "DriftDetection",
            dependencies: ["MonitorNumerics"]
        ),
        .target(
            name: "Monitoring",
            dependencies: [
                "MonitorNumerics",
                "DriftDetection",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "TrafficSimulator",
            dependencies: ["Monitoring", "MonitorNumerics"]
        ),
        .target(
            name: "DriftEvaluation",
            dependencies: ["DriftDetection", "Monitoring", "MonitorNumerics", "TrafficSimulator"]
        ),
        .executableTarget(
            name: "notebooks",
            dependencies: [
                "Monitoring",
                "MonitorNumerics",
                "TrafficSimulator",
                "DriftDetection",
                "DriftEvaluation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
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
            name: "MonitoringTests",
            dependencies: ["Monitoring", "MonitorNumerics"],
            resources: [.copy("Fixtures"), .copy("PythonFixtures")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
