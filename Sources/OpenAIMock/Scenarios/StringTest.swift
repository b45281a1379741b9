/// A test on a string: `"text"` (equals) or `{contains|equals|prefix|suffix|regex: …, ignore_case: true}`.
public struct StringTest: Sendable, Equatable {
    public enum Op: String, Sendable, Equatable, CaseIterable {
        case equals, contains, prefix, suffix, regex
    }

    public var op: Op
    public var pattern: String
    public var ignoreCase: Bool
    /// Compiled once at load time (and validated there), nil for other ops. Matches in time linear
    /// in the tested text (see ``LinearRegex``).
    let compiled: LinearRegex?

    /// Throws why a `regex` cannot be used (bad syntax, or a construct that cannot run in linear time).
    init(_ op: Op, _ pattern: String, ignoreCase: Bool = false) throws(RegexSyntaxError) {
        self.op = op
        self.pattern = pattern
        self.ignoreCase = ignoreCase
        compiled = op == .regex ? try LinearRegex(pattern, ignoreCase: ignoreCase) : nil
    }

    public static func == (a: StringTest, b: StringTest) -> Bool {
        a.op == b.op && a.pattern == b.pattern && a.ignoreCase == b.ignoreCase
    }

    public func matches(_ s: String) -> Bool {
        if let compiled { return compiled.matches(s) }
        let subject = ignoreCase ? Self.fold(s) : s
        let p = ignoreCase ? Self.fold(pattern) : pattern
        switch op {
        case .equals: return subject == p
        case .contains: return p.isEmpty || subject.contains(p)
        case .prefix: return subject.hasPrefix(p)
        case .suffix: return subject.hasSuffix(p)
        case .regex: return false
        }
    }

    /// Unicode case folding that also treats full-width letters alike ("ＢＯＯＫ" ~ "book").
    static func fold(_ s: String) -> String { TextFolding.fold(s) }

    /// `contain "book"`: a verb phrase for strict-mode explanations ("… should contain …").
    public var summary: String {
        let verb: String
        switch op {
        case .equals: verb = "equal"
        case .contains: verb = "contain"
        case .prefix: verb = "start with"
        case .suffix: verb = "end with"
        case .regex: verb = "match the regex"
        }
        return "\(verb) \(Self.quote(pattern))\(ignoreCase ? " (ignoring case)" : "")"
    }

    static func quote(_ s: String, limit: Int = 60) -> String {
        let t = s.count > limit ? String(s.prefix(limit)) + "…" : s
        return JSONValue.string(t).jsonString
    }
}

/// A shell-style glob: `*` any run of characters, `?` one character; no wildcard means exact.
/// Used for models (`curie:ft-*`, `ft:*`) and endpoint paths.
public struct Glob: Sendable, Equatable, CustomStringConvertible {
    public var pattern: String
    private let scalars: [Unicode.Scalar]

    public init(_ pattern: String) {
        self.pattern = pattern
        scalars = Array(pattern.unicodeScalars)
    }

    public static func == (a: Glob, b: Glob) -> Bool { a.pattern == b.pattern }

    public var description: String { pattern }
    public var isLiteral: Bool { !pattern.contains("*") && !pattern.contains("?") }

    public func matches(_ s: String) -> Bool {
        if isLiteral { return s == pattern }
        let t = Array(s.unicodeScalars)
        // Iterative wildcard matching with backtracking to the last `*`.
        var p = 0, i = 0, star = -1, mark = 0
        while i < t.count {
            if p < scalars.count && (scalars[p] == "?" || scalars[p] == t[i]) {
                p += 1; i += 1
            } else if p < scalars.count && scalars[p] == "*" {
                star = p; mark = i; p += 1
            } else if star >= 0 {
                p = star + 1; mark += 1; i = mark
            } else {
                return false
            }
        }
        while p < scalars.count && scalars[p] == "*" { p += 1 }
        return p == scalars.count
    }
}

/// An inclusive integer range: `3` (exactly) or `{min: 2, max: 4}`.
public struct IntRange: Sendable, Equatable {
    public var min: Int?
    public var max: Int?

    public func contains(_ n: Int) -> Bool { (min.map { n >= $0 } ?? true) && (max.map { n <= $0 } ?? true) }

    /// Whether every value in `other` is also in `self` (for the shadowing check).
    func covers(_ other: IntRange) -> Bool {
        let lowOK = min.map { m in other.min.map { $0 >= m } ?? false } ?? true
        let highOK = max.map { m in other.max.map { $0 <= m } ?? false } ?? true
        return lowOK && highOK
    }

    public var summary: String {
        switch (min, max) {
        case let (a?, b?) where a == b: return "exactly \(a)"
        case let (a?, b?): return "between \(a) and \(b)"
        case let (a?, nil): return "at least \(a)"
        case let (nil, b?): return "at most \(b)"
        default: return "any number"
        }
    }
}

/// A test on a body field: a plain value (equals, deeply), a ``StringTest`` on a string field,
/// or `{exists: false}`.
public enum ValueTest: Sendable, Equatable {
    case equals(JSONValue)
    case string(StringTest)
    case exists(Bool)

    public func matches(_ value: JSONValue?) -> Bool {
        switch self {
        case .exists(let want): return (value != nil && value != .null) == want
        case .equals(let v): return value == v || (value?.doubleValue != nil && value?.doubleValue == v.doubleValue)
        case .string(let t):
            guard let value, value != .null else { return false }
            if case .string(let s) = value { return t.matches(s) }
            return t.matches(value.jsonString)
        }
    }

    public var summary: String {
        switch self {
        case .exists(let want): return want ? "be present" : "be absent"
        case .equals(let v): return "equal \(v.jsonString)"
        case .string(let t): return t.summary
        }
    }
}

/// A path into the request body: `response_format.type`, `messages[0].role`, `messages[-1].content`.
public struct BodyPath: Sendable, Equatable, CustomStringConvertible {
    public enum Step: Sendable, Equatable {
        case key(String)
        case index(Int)
    }

    public var steps: [Step]
    public var description: String

    /// nil when the path is empty or has a malformed `[index]`.
    public init?(_ text: String) {
        description = text
        steps = []
        var current = ""
        var chars = text[...]
        while let c = chars.first {
            chars = chars.dropFirst()
            switch c {
            case ".":
                if !current.isEmpty { steps.append(.key(current)); current = "" }
            case "[":
                if !current.isEmpty { steps.append(.key(current)); current = "" }
                guard let close = chars.firstIndex(of: "]"), let n = Int(chars[..<close]) else { return nil }
                steps.append(.index(n))
                chars = chars[chars.index(after: close)...]
            default:
                current.append(c)
            }
        }
        if !current.isEmpty { steps.append(.key(current)) }
        if steps.isEmpty { return nil }
    }

    public func lookup(_ root: JSONValue) -> JSONValue? {
        var v: JSONValue? = root
        for step in steps {
            switch step {
            case .key(let k): v = v?[k]
            case .index(let n):
                guard case .array(let a)? = v else { return nil }
                let i = n < 0 ? a.count + n : n
                v = a.indices.contains(i) ? a[i] : nil
            }
        }
        return v
    }
}
