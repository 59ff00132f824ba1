import FuzzSupport
@testable import Monitoring

/// The prediction-line fast path on arbitrary bytes: no trap, and it agrees
/// with the general parser. A line it rejects as invalid JSON is not a
/// JSON object for `JSONParser` either; a line it accepts is a JSON object whose
/// `confidence`, `processing_time` and string `prediction` are the values
/// the fast path read.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPredictionLine(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = input(data, size)
    let general = try? JSONParser.parse(bytes)
    do {
        let fields = try PredictionLineDecoder.decode(bytes)
        guard case .object(let object)? = general else { fuzzFailure("accepted a line JSONParser rejects", input: bytes) }
        if !same(object["confidence"]?.doubleValue, fields.confidence) {
            fuzzFailure("confidence \(fields.confidence) differs from \(String(describing: object["confidence"]))", input: bytes)
        }
        if !same(object["processing_time"]?.doubleValue, fields.processingTime) {
            fuzzFailure("processing_time \(fields.processingTime) differs", input: bytes)
        }
        if let label = object["prediction"]?.stringValue, fields.nonStringLabel == nil, !ScalarKeyCheck.equal(label, fields.prediction) {
            fuzzFailure("prediction \(fields.prediction.debugDescription) differs from \(label.debugDescription)", input: bytes)
        }
        if let text = object["timestamp"]?.stringValue, LocalTimestamp(isoformat: text) != fields.timestamp {
            fuzzFailure("timestamp differs", input: bytes)
        }
    } catch .invalidJSON {
        // The fast path reads objects only; any other document is "invalid" to it.
        if case .object? = general { fuzzFailure("rejected as invalid JSON an object JSONParser accepts", input: bytes) }
    } catch {
        // .wrongShape: valid JSON that is not a prediction record.
    }
    return 0
}

func same(_ a: Double?, _ b: Double) -> Bool {
    guard let a else { return false }
    return a == b || (a.isNaN && b.isNaN)
}

enum ScalarKeyCheck {
    static func equal(_ a: String, _ b: String) -> Bool { a.utf8.elementsEqual(b.utf8) }
}
