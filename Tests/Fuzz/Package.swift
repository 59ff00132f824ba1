// swift-tools-version: 6.1
// libFuzzer targets for DriftLab's parsers, in their own package so that the root's
// `swift build`/`swift test` never need the sanitizers. Build and run from the root with
// `make fuzz` (FUZZ_SECONDS per target, default 60) or `.ci/fuzz`; see Tests/Fuzz/README.md.
import PackageDescription

let fuzzTarget = { (name: String, products: [String]) -> Target in
    .executableTarget(
        name: name,
        dependencies: ["FuzzSupport"] + products.map { .product(name: $0, package: "DriftLab") },
        path: "Sources/\(name)"
    )
}

let package = Package(
    name: "DriftLabFuzz",
    dependencies: [
        .package(name: "DriftLab", path: "../.."),
    ],
    targets: [
        .target(name: "FuzzSupport", path: "Sources/FuzzSupport"),
        fuzzTarget("FuzzJSON", ["Monitoring"]),
        fuzzTarget("FuzzPredictionLine", ["Monitoring"]),
        fuzzTarget("FuzzTimestamp", ["Monitoring"]),
        fuzzTarget("FuzzScenario", ["Monitoring", "TrafficSimulator"]),
    ],
    swiftLanguageModes: [.v6]
)
