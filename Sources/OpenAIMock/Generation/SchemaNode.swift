/// One schema of a ``CompiledSchema``: the keywords the generator and the validator use, read once,
/// type- and range-checked, with sub-schemas and `$ref`s as indexes into the compiled schema's nodes.
/// Absent keywords are nil (or empty); values that broke the rules were reported and left absent.
struct SchemaNode: Sendable {
    enum Shape: Sendable {
        /// A schema object.
        case object
        /// The boolean schema `false`: nothing is valid.
        case alwaysFalse
        /// `true`, or a value that is not a schema at all: anything is valid.
        case anything
    }

    enum Additional: Sendable, Equatable {
        case forbidden
        case schema(Int)
    }

    var shape = Shape.object
    /// `type` as a list, plus `null` when `nullable: true`.
    var types: [String]?
    var nullable = false
    var constValue: JSONValue?
    var enumValues: [JSONValue]?
    /// A resolved local `$ref`.
    var ref: Int?
    /// A `$ref` that could not be resolved (the validator reports it).
    var unresolvedRef: String?
    var allOf: [Int] = []
    var anyOf: [Int] = []
    var oneOf: [Int] = []
    var not: Int?

    var properties: [(name: String, node: Int)] = []
    /// `properties` by name, for lookups while validating.
    var propertyNodes: [String: Int] = [:]
    var required: [String] = []
    var additionalProperties: Additional?
    var minProperties: Int?
    var maxProperties: Int?

    /// `prefixItems`, or the draft-4 tuple form of `items`.
    var prefixItems: [Int] = []
    /// `items`, or `additionalItems` after a draft-4 tuple.
    var items: Int?
    var minItems: Int?
    var maxItems: Int?
    var uniqueItems = false

    var minimum: Double?
    var maximum: Double?
    var exclusiveMinimum: Double?
    var exclusiveMaximum: Double?
    /// Draft-4 boolean `exclusiveMinimum` / `exclusiveMaximum`.
    var minimumIsExclusive = false
    var maximumIsExclusive = false
    var multipleOf: Double?

    var minLength: Int?
    var maxLength: Int?
    var pattern: LinearRegex?
    var format: String?

    var firstExample: JSONValue?
    var defaultValue: JSONValue?
    /// What the keywords present imply when `type` is absent (`properties` → object, …).
    var inferredType = "string"

    /// Takes every keyword `self` lacks from `other` (a `$ref` target under its siblings; a parent's
    /// keywords under an `anyOf` branch).
    mutating func fill(from other: SchemaNode) {
        if shape == .anything && other.shape != .anything { shape = other.shape }
        types = types ?? other.types
        nullable = nullable || other.nullable
        constValue = constValue ?? other.constValue
        enumValues = enumValues ?? other.enumValues
        ref = ref ?? other.ref
        if allOf.isEmpty { allOf = other.allOf }
        if anyOf.isEmpty { anyOf = other.anyOf }
        if oneOf.isEmpty { oneOf = other.oneOf }
        not = not ?? other.not
        if properties.isEmpty { (properties, propertyNodes) = (other.properties, other.propertyNodes) }
        if required.isEmpty { required = other.required }
        additionalProperties = additionalProperties ?? other.additionalProperties
        minProperties = minProperties ?? other.minProperties
        maxProperties = maxProperties ?? other.maxProperties
        if prefixItems.isEmpty { prefixItems = other.prefixItems }
        items = items ?? other.items
        minItems = minItems ?? other.minItems
        maxItems = maxItems ?? other.maxItems
        uniqueItems = uniqueItems || other.uniqueItems
        fillScalars(from: other)
        if inferredType == "string" { inferredType = other.inferredType }
    }

    private mutating func fillScalars(from other: SchemaNode) {
        if minimum == nil { (minimum, minimumIsExclusive) = (other.minimum, other.minimumIsExclusive) }
        if maximum == nil { (maximum, maximumIsExclusive) = (other.maximum, other.maximumIsExclusive) }
        exclusiveMinimum = exclusiveMinimum ?? other.exclusiveMinimum
        exclusiveMaximum = exclusiveMaximum ?? other.exclusiveMaximum
        multipleOf = multipleOf ?? other.multipleOf
        minLength = minLength ?? other.minLength
        maxLength = maxLength ?? other.maxLength
        pattern = pattern ?? other.pattern
        format = format ?? other.format
        firstExample = firstExample ?? other.firstExample
        defaultValue = defaultValue ?? other.defaultValue
    }

    /// `allOf` for the generator: the part's properties and required names are added, and any other
    /// keyword it has replaces this one's.
    mutating func merge(_ part: SchemaNode) {
        var merged = part
        merged.fill(from: self)
        if !part.properties.isEmpty && !properties.isEmpty {
            merged.properties = properties.filter { part.propertyNodes[$0.name] == nil } + part.properties
            merged.propertyNodes = propertyNodes.merging(part.propertyNodes) { _, theirs in theirs }
        }
        if !part.required.isEmpty && !required.isEmpty {
            let mine = Set(required)
            merged.required = required + part.required.filter { !mine.contains($0) }
        }
        merged.allOf = []
        self = merged
    }

    /// Inclusive numeric bounds; exclusive bounds are moved inwards by `epsilon` (1 for integers) or
    /// at least to the next representable number.
    func bounds(epsilon: Double) -> (low: Double, high: Double) {
        func above(_ x: Double) -> Double { max(x + epsilon, x.nextUp) }
        func below(_ x: Double) -> Double { min(x - epsilon, x.nextDown) }
        var low = minimum.map { minimumIsExclusive ? above($0) : $0 } ?? -.infinity
        var high = maximum.map { maximumIsExclusive ? below($0) : $0 } ?? .infinity
        if let x = exclusiveMinimum { low = max(low, above(x)) }
        if let x = exclusiveMaximum { high = min(high, below(x)) }
        return (low, high)
    }
}
