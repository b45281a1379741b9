/// Everything loaded from `--scenarios` paths: rules in the order they are tried, and models.
public struct ScenarioSet: Sendable {
    /// Sorted by priority (higher first), then load order: the order matching tries them.
    public var rules: [ScenarioRule]
    public var models: [ScenarioModel]
    /// The files read, in load order.
    public var files: [String]
    /// Some rule matches on `canonical_body` (recordings): requests' canonical bodies are then computed.
    public let usesCanonicalBody: Bool

    public init(rules: [ScenarioRule] = [], models: [ScenarioModel] = [], files: [String] = []) {
        usesCanonicalBody = rules.contains { $0.conditions.contains { if case .canonicalBody = $0.test { true } else { false } } }
        self.rules = rules.enumerated().sorted { a, b in
            a.element.priority != b.element.priority ? a.element.priority > b.element.priority : a.offset < b.offset
        }.map(\.element)
        self.models = models
        self.files = files
    }

    public static let empty = ScenarioSet()
}

/// Reads scenario files and directories.
///
/// Directories are walked recursively in sorted path order, so load order (and hence "first
/// match wins") never depends on the file system. Only `*.json` and `*.json5` files are rules;
/// `*.schema.json` (the editor schema) and everything else (side files, READMEs) is skipped.
public enum ScenarioLoader {
    public struct Result: Sendable {
        public var set: ScenarioSet
        /// Errors make the load fail; warnings (shadowed rules) do not.
        public var diagnostics: [ScenarioDiagnostic]
        public var succeeded: Bool { !diagnostics.hasErrors }
    }

    /// Loads the files at `paths`, then rule texts given in code (`inline`: a name for diagnostics and JSON5 text).
    public static func load(paths: [String], inline: [(name: String, text: String)] = []) -> Result {
        var diagnostics: [ScenarioDiagnostic] = []
        var files: [String] = []
        for path in paths {
            let found = scenarioFiles(at: path)
            if found.isEmpty {
                let kind = ScenarioFiles.kind(path)
                if kind == .missing {
                    diagnostics.append(ScenarioDiagnostic(.io, "No such file or directory", at: SourceLocation(file: path, line: 0, column: 0)))
                } else if kind == .file {
                    diagnostics.append(ScenarioDiagnostic(.io, "Not a scenario file (expected .json or .json5)", at: SourceLocation(file: path, line: 0, column: 0)))
                }
            }
            files += found
        }
        var rules: [ScenarioRule] = []
        var models: [ScenarioModel] = []
        for file in files {
            let data: [UInt8]
            switch ScenarioFiles.contents(file) {
            case .success(let bytes): data = bytes
            case .failure(let problem):
                diagnostics.append(ScenarioDiagnostic(.io, "The file \(problem)", at: SourceLocation(file: file, line: 0, column: 0)))
                continue
            }
            let decoded = decode(data, file: file, firstIndex: rules.count)
            diagnostics += decoded.diagnostics
            rules += decoded.rules
            models += decoded.models
        }
        for (name, text) in inline {
            let decoded = decode(Array(text.utf8), file: name, firstIndex: rules.count)
            diagnostics += decoded.diagnostics
            rules += decoded.rules
            models += decoded.models
        }
        let set = ScenarioSet(rules: rules, models: models, files: files)
        diagnostics += ScenarioLinter.shadowed(set.rules)
        return Result(set: set, diagnostics: diagnostics)
    }

    /// Decodes one file's bytes. `file` is the path shown in diagnostics; side files resolve next to it.
    public static func decode(_ bytes: [UInt8], file: String, firstIndex: Int = 0)
        -> (rules: [ScenarioRule], models: [ScenarioModel], diagnostics: [ScenarioDiagnostic]) {
        let root: SourceValue
        do throws(JSON5SyntaxError) {
            root = try JSON5Reader.read(bytes, file: file)
        } catch {
            return ([], [], [ScenarioDiagnostic(.syntax, error.message, at: error.location)])
        }
        let directory = ScenarioFiles.directory(of: file)
        let decoder = ScenarioDecoder(file: file, directory: directory, firstIndex: firstIndex)
        decoder.decodeDocument(root)
        return (decoder.rules, decoder.models, decoder.diagnostics)
    }

    /// Decodes a scenario given as text (in-process tests); side files resolve against `directory`.
    public static func decode(_ text: String, file: String = "<inline>") -> Result {
        let d = decode(Array(text.utf8), file: file)
        let set = ScenarioSet(rules: d.rules, models: d.models, files: [file])
        return Result(set: set, diagnostics: d.diagnostics + ScenarioLinter.shadowed(set.rules))
    }

    static func isScenarioFile(_ name: String) -> Bool {
        (name.hasSuffix(".json") || name.hasSuffix(".json5")) && !name.hasSuffix(".schema.json")
    }

    /// The scenario files at `path`: the file itself, or a directory's files, recursively, sorted.
    static func scenarioFiles(at path: String) -> [String] {
        switch ScenarioFiles.kind(path) {
        case .missing: return []
        case .file: return isScenarioFile(path) ? [path] : []
        case .directory: break
        }
        let subpaths = ScenarioFiles.subpaths(of: path)
        let base = path.hasSuffix("/") ? String(path.dropLast()) : path
        return subpaths.filter { sub in
            isScenarioFile(sub) && !sub.split(separator: "/").contains { $0.hasPrefix(".") }
        }.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }.map { base + "/" + $0 }
    }
}
