import ArgumentParser

/// How a command prints its result.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case json
    case table
}

/// Flags shared by the commands that print a result.
struct OutputOptions: ParsableArguments {
    @Option(help: "Output format: json (one JSON object on stdout) or table (for a person).")
    var format: OutputFormat = .json
}
