import FuzzSupport
import OpenAIMock

/// JSON Schemas as clients send them in tools and `response_format`: the compiler's checks, the instance
/// generator and the validator. No trap or hang for any schema, and the generated JSON stays within its
/// byte budget (plus one value copied from the schema, such as a `const`, and a sampled pattern string).
@main enum SchemaFuzz {
    static let budget = 16 * 1024

    static func main() {
        Fuzz.run { data in
            let (choice, rest) = Fuzz.split(data)
            guard let schema = try? JSONValue.parse(rest) else { return }
            let generated = SchemaInstanceGenerator(schema: schema, context: "weather in Paris").generate(seed: UInt64(choice), budget: budget)
            let size = generated.value.serialized().count
            precondition(size <= budget + 6 * rest.count + 64 * 1024, "\(size) bytes generated for a \(budget)-byte budget")
            _ = SchemaValidator(schema: schema).validate(generated.value)
        }
    }
}
