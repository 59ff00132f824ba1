import Foundation
import Testing
@testable import Monitoring

/// Fixtures whose expected values come from Python itself
/// (`Tests/fixture-generator/generate_python_fixtures.py`); reading them needs no Python.
enum PythonFixtures {
    static let root = Bundle.module.resourceURL!.appendingPathComponent("PythonFixtures")

    /// The JSON objects of one `.jsonl` fixture, one per line.
    static func lines(_ name: String) throws -> [JSONObject] {
        let text = try String(contentsOf: root.appendingPathComponent(name), encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            guard case .object(let object) = try JSONParser.parse(String(line)) else { throw CocoaError(.fileReadCorruptFile) }
            return object
        }
    }
}

@Suite("JSON objects agree with json.loads")
struct PythonAgreementTests {
    @Test("JSON objects: members, order and repeated keys as json.loads")
    func objectsAgreeWithPython() throws {
        for object in try PythonFixtures.lines("json_objects.jsonl") {
            let text = object["text"]!.stringValue!
            guard case .array(let items)? = object["items"] else { Issue.record("no items"); continue }
            guard case .object(let parsed) = try JSONParser.parse(text) else { Issue.record("not an object: \(text.prefix(40))"); continue }
            let expectedKeys = items.map { item -> String in
                guard case .array(let pair) = item else { return "" }
                return pair[0].stringValue!
            }
            #expect(parsed.keys == expectedKeys, "order of \(text.prefix(60))")
            for item in items {
                guard case .array(let pair) = item else { continue }
                #expect(parsed[pair[0].stringValue!] == pair[1], "value of \(pair[0])")
            }
            #expect(parsed["no such key"] == nil)
        }
    }
}

@Suite("JSONObject as a Python dict")
struct JSONObjectTests {
    @Test("past the index threshold: set, replace in place, remove, look up", arguments: [3, JSONObject.indexThreshold, JSONObject.indexThreshold + 1, 5_000])
    func dictionarySemantics(count: Int) {
        var object = JSONObject()
        for i in 0..<count { object["k\(i)"] = .int(i) }
        #expect(object.count == count)
        object["k0"] = "first again"            // replaced in place
        #expect(object.keys.first == "k0")
        #expect(object["k0"] == "first again")
        object["k\(count / 2)"] = nil           // removed; later keys shift
        #expect(object.count == count - 1)
        #expect(object["k\(count / 2)"] == nil)
        for i in 0..<count where i != count / 2 && i != 0 { #expect(object["k\(i)"] == .int(i)) }
        object["k\(count / 2)"] = "back"        // re-added at the end
        #expect(object.keys.last == "k\(count / 2)")
        #expect(object.position(of: "k\(count / 2)") == count - 1)
        #expect(object == JSONObject(object.members.map { ($0.key, $0.value) }))
    }
}
