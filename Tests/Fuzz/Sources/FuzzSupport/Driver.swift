import Foundation

/// libFuzzer's entry point for programs that have their own `main`.
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// Runs libFuzzer with the command line's arguments and `test` as the target,
/// then exits with libFuzzer's status.
///
/// Each target also exports `test` as `LLVMFuzzerTestOneInput`, so it works
/// whichever `main` the linker keeps (SwiftPM's or libFuzzer's own).
public func runFuzzer(_ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, test))
}

/// The input as a buffer (empty for a null pointer).
public func input(_ data: UnsafePointer<UInt8>?, _ size: Int) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(start: size > 0 ? data : nil, count: size)
}

/// Stops the run with `message` (libFuzzer records the input as a crash).
public func fuzzFailure(_ message: String, input bytes: UnsafeBufferPointer<UInt8>) -> Never {
    let shown = String(decoding: bytes.prefix(300), as: UTF8.self)
    fatalError("\(message)\ninput (first 300 bytes): \(shown.debugDescription)")
}
