// swift-tools-version: 6.1
// An app that depends on DriftLab as README's "Embedding the library" shows,
// by path instead of by URL so that CI builds it against this checkout.
import PackageDescription

let package = Package(
    name: "EmbeddingApp",
    dependencies: [
        .package(name: "DriftLab", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "EmbeddingApp",
            dependencies: [
                .product(name: "Monitoring", package: "DriftLab"),
                .product(name: "DriftDetection", package: "DriftLab"),
                .product(name: "MonitorNumerics", package: "DriftLab"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
