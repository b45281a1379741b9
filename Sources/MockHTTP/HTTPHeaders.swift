/// An ordered list of header fields with case-insensitive lookup.
///
/// Order is kept as received (requests) or as added (responses) so that what goes on the
/// wire is deterministic.
public struct HTTPHeaders: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral {
    public struct Field: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public private(set) var fields: [Field] = []

    public init() {}

    public init(_ pairs: [(String, String)]) {
        fields = pairs.map { Field(name: $0.0, value: $0.1) }
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    public var count: Int { fields.count }

    /// The first value for `name`, compared case-insensitively (ASCII).
    public subscript(name: String) -> String? {
        fields.first { Self.equalsIgnoringCase($0.name, name) }?.value
    }

    /// Every value for `name`, in order.
    public func values(for name: String) -> [String] {
        fields.filter { Self.equalsIgnoringCase($0.name, name) }.map(\.value)
    }

    public func contains(_ name: String) -> Bool { self[name] != nil }

    public mutating func reserveCapacity(_ count: Int) { fields.reserveCapacity(count) }

    public mutating func add(_ name: String, _ value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// Replaces every field called `name` by one field with `value`.
    public mutating func set(_ name: String, _ value: String) {
        if let index = fields.firstIndex(where: { Self.equalsIgnoringCase($0.name, name) }) {
            fields[index].value = value
            var seen = false
            fields.removeAll { field in
                guard Self.equalsIgnoringCase(field.name, name) else { return false }
                defer { seen = true }
                return seen
            }
        } else {
            add(name, value)
        }
    }

    public mutating func remove(_ name: String) {
        fields.removeAll { Self.equalsIgnoringCase($0.name, name) }
    }

    public func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }

    /// A field name as RFC 9110 allows it: one or more token characters (no spaces, colons or controls).
    public static func isValidName(_ name: String) -> Bool {
        name.utf8.withContiguousStorageIfAvailable(isValidName) ?? isValidName(Array(name.utf8))
    }

    static func isValidName(_ bytes: some Collection<UInt8>) -> Bool {
        let token = ByteClass.token
        return !bytes.isEmpty && bytes.allSatisfy { token[Int($0)] }
    }

    /// A field value as RFC 9110 allows it: no CR, LF, NUL or other control character but tab, so a
    /// value can never end the header line or the head (response splitting).
    public static func isValidValue(_ value: String) -> Bool { isValidValue(value.utf8) }

    static func isValidValue(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.allSatisfy { ($0 >= 0x20 || $0 == 0x09) && $0 != 0x7F }
    }

    /// ASCII case-insensitive comparison without allocating.
    public static func equalsIgnoringCase(_ a: String, _ b: String) -> Bool {
        guard a.utf8.count == b.utf8.count else { return false }  // O(1) for native strings: most names differ here
        var ia = a.utf8.makeIterator()
        var ib = b.utf8.makeIterator()
        while true {
            switch (ia.next(), ib.next()) {
            case (nil, nil): return true
            case let (x?, y?):
                if x == y { continue }
                let lx = (x >= 65 && x <= 90) ? x | 0x20 : x
                let ly = (y >= 65 && y <= 90) ? y | 0x20 : y
                if lx != ly { return false }
            default: return false
            }
        }
    }
}
