import Foundation
import Testing
@testable import Monitoring

@Suite("Event lines (notebooks record and serve)")
struct EventLineTests {
    @Test("a prediction with every field, defaults for the optional ones")
    func prediction() throws {
        let full = try EventLine.decode(#"{"prediction": "pos", "confidence": 0.9, "processing_time": 1, "text": "a b", "model_version": "v2", "client_id": "c", "user_agent": "u", "session_id": "s", "extra": [1, {"x": null}]}"#)
        #expect(full == .prediction(.init(label: "pos", confidence: 0.9, processingTime: 1, text: "a b", modelVersion: "v2",
                                          clientID: "c", userAgent: "u", sessionID: "s")))
        let bare = try EventLine.decode(#"  {"processing_time": 0.5, "confidence": 1e-1, "prediction": "caf\u00e9"}  "#)
        #expect(bare == .prediction(.init(label: "café", confidence: 0.1, processingTime: 0.5)))
        // A repeated key takes its last value, as json.loads.
        #expect(try EventLine.decode(#"{"prediction": "a", "prediction": "b", "confidence": 0.5, "processing_time": 0}"#)
            == .prediction(.init(label: "b", confidence: 0.5, processingTime: 0)))
    }

    @Test("errors and the flush command")
    func errorsAndCommands() throws {
        #expect(try EventLine.decode(#"{"error_type": "timeout", "error_message": "slow", "context": {"k": 1}}"#)
            == .error(.init(type: "timeout", message: "slow", context: JSONObject([("k", .int(1))]))))
        #expect(try EventLine.decode(#"{"error_type": "oom"}"#) == .error(.init(type: "oom", message: "")))
        #expect(try EventLine.decode(#"{"command": "flush"}"#) == .flush)
    }

    @Test("malformed lines are rejected with a reason", arguments: [
        (#"{"prediction": "a", "confidence": 0.5"#, "not valid JSON"),
        (#"{"prediction": "a", "confidence": 0.5, "processing_time": 1} x"#, "not valid JSON"),
        (#"[1]"#, "not a JSON object"),
        (#""text""#, "not a JSON object"),
        (#"{"prediction": 1, "confidence": 0.5, "processing_time": 1}"#, #"missing "prediction" (a string)"#),
        (#"{"prediction": "a", "confidence": "0.5", "processing_time": 1}"#, #"missing "confidence" (a number)"#),
        (#"{"prediction": "a", "confidence": true, "processing_time": 1}"#, #"missing "confidence" (a number)"#),
        (#"{"prediction": "a", "confidence": 0.5}"#, #"missing "processing_time" (a number)"#),
        ("{\"prediction\": \"a\u{1}\", \"confidence\": 0.5, \"processing_time\": 1}", "not valid JSON"),
    ])
    func rejected(line: String, reason: String) {
        #expect(throws: EventLine.Rejection.self) { try EventLine.decode(line) }
        do {
            _ = try EventLine.decode(line)
        } catch {
            #expect(error.description.hasPrefix(reason))
        }
    }

    @Test("apply records nothing from a line whose values are out of range")
    func applyValidates() throws {
        let monitor = PredictionMonitor(inMemoryWith: MonitorConfiguration())
        #expect(EventLine.apply(#"{"prediction": "a", "confidence": NaN, "processing_time": 1}"#, to: monitor)
            == .rejected("confidence nan is not a finite number"))
        #expect(EventLine.apply(#"{"prediction": "a", "confidence": 0.5, "processing_time": Infinity}"#, to: monitor)
            == .rejected("processing time inf is not a finite, non-negative number"))
        #expect(EventLine.apply(#"{"prediction": "a", "confidence": 0.5, "processing_time": 1}"#, to: monitor) == .prediction)
        #expect(EventLine.apply(#"{"error_type": "e"}"#, to: monitor) == .error)
        #expect(monitor.totals.predictions == 1)
        #expect(monitor.totals.errors == 1)
    }
}
