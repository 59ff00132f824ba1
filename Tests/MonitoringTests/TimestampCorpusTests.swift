import Testing
@testable import Monitoring

@Suite("fromisoformat agrees with Python on a generated corpus")
struct TimestampCorpusTests {
    @Test("fromisoformat: every generated form gives Python's answer")
    func timestampsAgreeWithPython() throws {
        let cases = try PythonFixtures.lines("fromisoformat.jsonl")
        #expect(cases.count >= 700)
        var disagreements: [String] = []
        var accepted = 0
        for object in cases {
            let text = object["text"]!.stringValue!
            let expected = object["expected"]!.stringValue
            if expected != nil { accepted += 1 }
            let actual = LocalTimestamp(isoformat: text)?.isoformat
            if actual != expected {
                disagreements.append("\(JSONWriter.string(.string(text))): Python \(expected ?? "rejects"), DriftLab \(actual ?? "rejects")")
            }
        }
        #expect(accepted >= 300, "the corpus should hold many accepted forms, not only rejections")
        #expect(disagreements.isEmpty, "\(disagreements.count) of \(cases.count) disagree:\n\(disagreements.joined(separator: "\n"))")
    }
}
