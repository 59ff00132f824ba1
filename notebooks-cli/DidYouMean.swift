import DriftDetection
import TrafficSimulator

/// "; did you mean 'x'?" after an unknown name, from the one nearest-name rule
/// (``DetectorCatalogue/suggestion(for:among:)``), or "" when nothing is close.
func didYouMean(_ name: String, among candidates: [String]) -> String {
    DetectorCatalogue.suggestion(for: name, among: candidates).map { "; did you mean '\($0)'?" } ?? ""
}

/// The built-in scenario names, for messages.
enum ScenarioNames {
    /// "unknown scenario 'x'; did you mean 'y'? (see simulate --list)".
    static func unknown(_ name: String) -> String {
        "unknown scenario '\(name)'\(didYouMean(name, among: Scenario.catalogue.map(\.name))) (see simulate --list)"
    }
}
