import FuzzSupport
import Monitoring

/// The `fromisoformat` parser on arbitrary bytes: no trap, and every value
/// it accepts prints (`isoformat`) as text that parses back to the same
/// value. Agreement with Python itself is the unit test over the generated
/// corpus (`Tests/MonitoringTests/PythonFixtures/fromisoformat.jsonl`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTimestamp(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = input(data, size)
    guard let timestamp = LocalTimestamp(isoformat: bytes) else { return 0 }
    let text = timestamp.isoformat
    guard let again = LocalTimestamp(isoformat: text), again == timestamp else {
        fuzzFailure("isoformat \(text) does not parse back to the same timestamp", input: bytes)
    }
    if let string = String(validating: bytes, as: UTF8.self), LocalTimestamp(isoformat: string) != timestamp {
        fuzzFailure("the String and byte entry points disagree", input: bytes)
    }
    return 0
}
