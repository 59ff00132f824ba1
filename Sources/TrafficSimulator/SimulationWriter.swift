import Foundation
import Monitoring

/// Writes a simulated stream as a base directory the reference can read:
/// `monitor/predictions.json`, the errors in `monitor/alerts.json` as
/// `record_error` writes them, and `ground_truth.json`.
public struct SimulationWriter {
    public let baseURL: URL
    public var directory: MonitorDirectory { MonitorDirectory(monitorURL: baseURL.appendingPathComponent("monitor")) }
    public var groundTruthURL: URL { baseURL.appendingPathComponent("ground_truth.json") }

    public init(baseURL: URL) { self.baseURL = baseURL }

    /// Generates and writes the whole stream.
    ///
    /// - Parameters:
    ///   - generator: The stream.
    ///   - progress: Called now and then with the fraction simulated.
    /// - Returns: The ground truth written.
    /// - Complexity: O(events); memory O(1) beyond a 1 MiB buffer.
    public func write(_ generator: TrafficGenerator,
                      progress: ((Double) -> Void)? = nil) throws -> GroundTruth {
        let fm = FileManager.default
        try fm.createDirectory(at: directory.monitorURL, withIntermediateDirectories: true)
        let predictionsHandle = try Self.create(directory.predictionsURL)
        let alertsHandle = try Self.create(directory.alertsURL)
        defer {
            try? predictionsHandle.close()
            try? alertsHandle.close()
        }
        var predictionBuffer: [UInt8] = []
        var alertBuffer: [UInt8] = []
        predictionBuffer.reserveCapacity(1 << 20)
        var predictions = 0, errors = 0
        var generator = generator
        let total = Double(generator.duration.microseconds)
        var nextProgress = 0.0
        while let event = generator.next() {
            switch event {
            case .prediction(let record):
                predictions += 1
                predictionBuffer.append(contentsOf: PredictionLineEncoder.line(record))
                predictionBuffer.append(0x0A)
                if predictionBuffer.count >= 1 << 20 {
                    predictionsHandle.write(Data(predictionBuffer))
                    predictionBuffer.removeAll(keepingCapacity: true)
                }
            case .error(let timestamp, let type, let message):
                errors += 1
                let rate = Double(errors) / Double(predictions + errors)
                let record: JSONValue = .object(JSONObject([
                    ("timestamp", .string(timestamp.isoformat)), ("error_type", .string(type)),
                    ("error_message", .string(message)), ("context", .object(JSONObject())),
                    ("total_errors", .int(errors)), ("error_rate", .double(rate)),
                ]))
                alertBuffer.append(contentsOf: JSONWriter.string(record).utf8)
                alertBuffer.append(0x0A)
            }
            if let progress {
                let fraction = Double(event.timestamp.microseconds - generator.start.microseconds) / total
                if fraction >= nextProgress {
                    progress(fraction)
                    nextProgress = fraction + 0.01
                }
            }
        }
        predictionsHandle.write(Data(predictionBuffer))
        alertsHandle.write(Data(alertBuffer))
        let truth = GroundTruth(scenario: generator.scenario, seed: generator.seed, severity: generator.severity,
                                ratePerSecond: generator.ratePerSecond, start: generator.start, duration: generator.duration,
                                predictions: predictions, errors: errors)
        try Data((JSONWriter.string(truth.jsonValue, pretty: true) + "\n").utf8).write(to: groundTruthURL)
        progress?(1)
        return truth
    }

    private static func create(_ url: URL) throws -> FileHandle {
        FileManager.default.createFile(atPath: url.path, contents: nil)
        return try FileHandle(forWritingTo: url)
    }
}
