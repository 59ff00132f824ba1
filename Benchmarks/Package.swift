// swift-tools-version: 6.1
// The benchmarks live in their own package, so that `swift test` at the root never builds the
// benchmark toolchain. Run them from this folder: `swift package benchmark`.
import PackageDescription

let package = Package(
    name: "DriftLabBenchmarks",
    dependencies: [
        .package(name: "DriftLab", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "Aggregation",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Monitoring", package: "DriftLab"),
                .product(name: "MonitorNumerics", package: "DriftLab"),
            ],
            path: "Benchmarks/Aggregation",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "Kernels",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "MonitorNumerics", package: "DriftLab"),
            ],
            path: "Benchmarks/Kernels",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "Ingest",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "Monitoring", package: "DriftLab"),
            ],
            path: "Benchmarks/Ingest",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
