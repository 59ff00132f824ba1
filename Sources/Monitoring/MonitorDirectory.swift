import Foundation

/// The files of a monitor, laid out as the reference's
/// `PredictionMonitor(base_dir)`: `base_dir/monitor/{predictions,metrics,alerts}.json`.
public struct MonitorDirectory: Sendable, Equatable {
    /// The folder holding the three logs.
    public var monitorURL: URL

    public var predictionsURL: URL { monitorURL.appendingPathComponent("predictions.json") }
    public var metricsURL: URL { monitorURL.appendingPathComponent("metrics.json") }
    public var alertsURL: URL { monitorURL.appendingPathComponent("alerts.json") }

    /// The monitor folder itself.
    public init(monitorURL: URL) { self.monitorURL = monitorURL }

    /// Resolves a path given by a user: a base directory holding `monitor/`,
    /// or the `monitor/` folder itself (recognised by its name or its logs).
    ///
    /// - Throws: ``MonitorError`` when the path is missing or not a directory.
    public static func resolve(_ path: String) throws(MonitorError) -> MonitorDirectory {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else { throw .directoryNotFound(path: path) }
        guard isDirectory.boolValue else { throw .notADirectory(path: path) }
        let url = URL(fileURLWithPath: path, isDirectory: true)
        let nested = url.appendingPathComponent("monitor", isDirectory: true)
        var nestedIsDirectory: ObjCBool = false
        if fm.fileExists(atPath: nested.path, isDirectory: &nestedIsDirectory), nestedIsDirectory.boolValue {
            return MonitorDirectory(monitorURL: nested)
        }
        // No monitor/ inside: this is the monitor folder, or a base directory
        // the reference has not written to yet (which reads as empty).
        let own = MonitorDirectory(monitorURL: url)
        let hasLogs = [own.predictionsURL, own.metricsURL, own.alertsURL].contains { fm.fileExists(atPath: $0.path) }
        return hasLogs || url.lastPathComponent == "monitor" ? own : MonitorDirectory(monitorURL: nested)
    }
}
