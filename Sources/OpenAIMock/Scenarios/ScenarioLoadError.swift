/// Scenario rules that cannot be used: every diagnostic, as `validate` prints them.
public struct ScenarioLoadError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [ScenarioDiagnostic]

    public init(diagnostics: [ScenarioDiagnostic]) { self.diagnostics = diagnostics }

    public var description: String {
        "Scenario rules have errors:\n" + diagnostics.filter { $0.severity == .error }.map(\.description).joined(separator: "\n")
    }
}
