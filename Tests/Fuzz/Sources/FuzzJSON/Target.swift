import FuzzSupport
@testable import Monitoring

/// The JSON parser on arbitrary bytes: no trap, no hang, and for every
/// document it accepts, write → parse → write is the identity (the writer's
/// text parses back to the same value; compared as text, so that NaN
/// compares equal to itself).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = input(data, size)
    guard let value = try? JSONParser.parse(bytes) else { return 0 }
    let written = JSONWriter.string(value)
    let reparsed: JSONValue
    do { reparsed = try JSONParser.parse(written) } catch { fuzzFailure("the writer's output does not parse: \(error)", input: bytes) }
    if JSONWriter.string(reparsed) != written { fuzzFailure("parse → write → parse changed the value", input: bytes) }
    if !containsNaN(value), reparsed != value { fuzzFailure("parse → write → parse is not the identity", input: bytes) }
    // Look-ups find every member of every object, by its last value.
    checkObjects(value, bytes)
    return 0
}

func containsNaN(_ value: JSONValue) -> Bool {
    switch value {
    case .number(let n): return n.value.isNaN
    case .array(let elements): return elements.contains(where: containsNaN)
    case .object(let object): return object.members.contains { containsNaN($0.value) }
    default: return false
    }
}

func checkObjects(_ value: JSONValue, _ bytes: UnsafeBufferPointer<UInt8>) {
    switch value {
    case .array(let elements): elements.forEach { checkObjects($0, bytes) }
    case .object(let object):
        for (position, member) in object.members.enumerated() {
            if object.position(of: member.key) != position { fuzzFailure("key \(member.key.debugDescription) is not found at its position", input: bytes) }
            checkObjects(member.value, bytes)
        }
    default: break
    }
}
