import FuzzSupport

// A closure, not the @_cdecl function itself: converting that to @convention(c) here
// would emit a second LLVMFuzzerTestOneInput symbol in this file.
runFuzzer { data, size in fuzzTimestamp(data, size) }
