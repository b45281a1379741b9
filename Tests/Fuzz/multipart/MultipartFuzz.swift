import FuzzSupport
import OpenAIMock

/// The streaming multipart/form-data parser of uploads: any body gives parts or a `MultipartError`, never
/// a trap; and what it reports does not depend on how the body was cut into reads (the first input byte
/// picks the piece size, compared with the body in one piece).
@main enum MultipartFuzz {
    struct Part: Equatable {
        var name: String
        var filename: String?
        var contentType: String?
        var data: [UInt8] = []
    }

    struct Outcome: Equatable {
        var parts: [Part] = []
        var error: String?
        var complete = false
    }

    static func parse(_ body: [UInt8], piece: Int) -> Outcome {
        var parser = MultipartParser(boundary: "XyZ")
        var outcome = Outcome()
        var offset = 0
        do throws(MultipartError) {
            while offset < body.count {
                let end = min(body.count, offset + piece)
                try parser.feed(Array(body[offset..<end])) { event throws(MultipartError) in
                    switch event {
                    case .begin(let h): outcome.parts.append(Part(name: h.name, filename: h.filename, contentType: h.contentType))
                    case .data(let slice):
                        precondition(!outcome.parts.isEmpty, "data before a part began")
                        outcome.parts[outcome.parts.count - 1].data += slice
                    case .end: break
                    }
                }
                offset = end
            }
            try parser.finish()
            outcome.complete = true
        } catch {
            outcome.error = error.description
        }
        return outcome
    }

    static func main() {
        Fuzz.run { data in
            let (choice, body) = Fuzz.split(data)
            let whole = parse(body, piece: max(1, body.count))
            let cut = parse(body, piece: Int(choice % 64) + 1)
            // A limit can trip at a different part of the stream, but success must not depend on the cuts.
            if whole.error == nil || cut.error == nil {
                precondition(whole == cut, "the outcome depends on how the body was read")
            }
        }
    }
}
