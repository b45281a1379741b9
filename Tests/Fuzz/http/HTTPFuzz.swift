import FuzzSupport
import MockHTTP

/// The HTTP/1.1 request reader (head parser, Content-Length and chunked bodies, pipelining) on any byte
/// stream: no trap or hang, and the same requests and verdict whether the stream arrives at once or in
/// reads of 1–17 bytes (the input's first byte picks the size).
@main enum HTTPFuzz {
    static func main() {
        Fuzz.run { data in
            let (choice, stream) = Fuzz.split(data)
            let whole = RequestStreamProbe.run(stream, pieceSize: stream.count)
            let pieces = RequestStreamProbe.run(stream, pieceSize: Int(choice % 17) + 1)
            precondition(whole == pieces, "the verdict depends on read boundaries: \(whole) vs \(pieces)")
        }
    }
}
