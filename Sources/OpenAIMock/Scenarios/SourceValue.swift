/// A place in a scenario file, 1-based, as editors and compilers print it: `file:line:column`.
///
/// Columns count Unicode scalars, so a position after a Chinese prompt points where an editor
/// puts its cursor rather than at a byte offset.
public struct SourceLocation: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, for diagnostics.
    public var description: String { "\(file):\(line):\(column)" }
    /// `file:line`, what the journal and the log show for a matched rule.
    public var fileLine: String { "\(file):\(line)" }
}

/// A JSON value read from a scenario file, with the position of every node and every key.
///
/// Foundation's `JSONDecoder` (even with `allowsJSON5`) forgets positions once a document is
/// read, yet a linter must say *where* an unknown key or a bad regex is. So scenario files go
/// through ``JSON5Reader`` into this tree, and the decoder walks it, collecting diagnostics.
public struct SourceValue: Sendable, Equatable {
    public indirect enum Node: Sendable, Equatable {
        case null
        case bool(Bool)
        case int(Int)
        case double(Double)
        case string(String)
        case array([SourceValue])
        case object([Member])
    }

    public struct Member: Sendable, Equatable {
        public var key: String
        public var keyLocation: SourceLocation
        public var value: SourceValue
    }

    public var node: Node
    public var location: SourceLocation

    /// The JSON type name used in diagnostics.
    public var typeName: String {
        switch node {
        case .null: return "null"
        case .bool: return "boolean"
        case .int: return "integer"
        case .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    public var string: String? { if case .string(let s) = node { return s }; return nil }
    public var bool: Bool? { if case .bool(let b) = node { return b }; return nil }
    public var members: [Member]? { if case .object(let m) = node { return m }; return nil }
    public var elements: [SourceValue]? { if case .array(let a) = node { return a }; return nil }

    public var int: Int? {
        switch node {
        case .int(let i): return i
        case .double(let d) where d.rounded() == d && abs(d) < 9.0e15: return Int(d)
        default: return nil
        }
    }

    public var double: Double? {
        switch node {
        case .int(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    public subscript(key: String) -> SourceValue? { members?.last { $0.key == key }?.value }

    /// The plain JSON value (positions dropped), for body comparisons, tool arguments and `json` replies.
    public var json: JSONValue {
        switch node {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        case .string(let s): return .string(s)
        case .array(let a): return .array(a.map(\.json))
        case .object(let m): return .object(JSONObject(m.map { ($0.key, $0.value.json) }))
        }
    }
}
