extension String {
    /// Calls `body` with the string's UTF-8 bytes: in place where they are contiguous (native and small
    /// strings), else from a copy.
    @inline(__always)
    package func withUTF8Bytes(_ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        if utf8.withContiguousStorageIfAvailable(body) == nil { Array(utf8).withUnsafeBufferPointer(body) }
    }
}
