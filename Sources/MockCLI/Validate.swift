import OpenAIMock

/// `openai-mock validate PATH…`: load the files exactly as `serve --scenarios` would and print
/// every diagnostic as `file:line:column: error|warning: message`, then a summary line.
/// Exit 1 when there is any diagnostic (a shadowed rule is a bug even if serving would work),
/// 0 when clean.
enum Validate {
    static func run(_ paths: [String]) -> Int32 {
        let result = ScenarioLoader.load(paths: paths)
        print(report(result), terminator: "")
        return result.diagnostics.isEmpty ? 0 : 1
    }

    /// The whole output, one diagnostic per line then the summary (pure, for tests).
    static func report(_ result: ScenarioLoader.Result) -> String {
        var out = ""
        for d in result.diagnostics { out += d.description + "\n" }
        let files = result.set.files.count, rules = result.set.rules.count
        let errors = result.diagnostics.filter { $0.severity == .error }.count
        let warnings = result.diagnostics.count - errors
        let what = "\(files) file\(files == 1 ? "" : "s"), \(rules) rule\(rules == 1 ? "" : "s")"
        if result.diagnostics.isEmpty {
            out += "\(what): ok\n"
        } else {
            out += "\(what): \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")\n"
        }
        return out
    }
}
