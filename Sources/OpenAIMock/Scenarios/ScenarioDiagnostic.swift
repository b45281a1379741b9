/// One finding about a scenario file, printed as `file:line:column: error: message` so editors
/// and CI logs can jump to it.
public struct ScenarioDiagnostic: Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable, Equatable {
        case error, warning
    }

    /// What kind of problem; tests and tools can branch on it without parsing messages.
    public enum Kind: String, Sendable, Equatable {
        /// Not valid JSON5.
        case syntax
        /// A key the format does not know (often a typo: the message suggests the nearest key).
        case unknownKey
        /// A value of the wrong JSON type or out of range.
        case invalidValue
        /// A `regex` that Swift's `Regex` rejects.
        case badRegex
        /// A `text_file` that does not exist or cannot be read.
        case missingFile
        /// A `{{…}}` placeholder that is not in the documented set.
        case badTemplate
        /// A rule an earlier rule always answers first, so it can never match.
        case shadowed
        /// A path given on the command line that cannot be read.
        case io
    }

    public var kind: Kind
    public var severity: Severity
    public var location: SourceLocation
    public var message: String

    public init(_ kind: Kind, _ message: String, at location: SourceLocation, severity: Severity = .error) {
        self.kind = kind
        self.severity = severity
        self.location = location
        self.message = message
    }

    public var description: String { "\(location): \(severity.rawValue): \(message)" }
}

extension Array where Element == ScenarioDiagnostic {
    public var hasErrors: Bool { contains { $0.severity == .error } }
}
