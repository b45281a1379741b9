import FuzzSupport
import OpenAIMock

/// The request-body JSON parser: any bytes give a value or a `JSONParseError`; a value serializes to
/// JSON that parses back to the same serialization.
@main enum JSONFuzz {
    static func main() {
        Fuzz.run { data in
            guard let value = try? JSONValue.parse(Array(data)) else { return }
            let once = value.serialized()
            guard let again = try? JSONValue.parse(once) else {
                preconditionFailure("serialized output does not parse: \(String(decoding: once, as: UTF8.self))")
            }
            precondition(again.serialized() == once, "serialization is not stable")
        }
    }
}
