import Dispatch

/// Runs blocking file system work (writing an upload to disk, reading a file back) on Dispatch
/// threads set aside for it, never on an event loop and never blocking the cooperative pool
/// that runs request handlers.
package enum BlockingIO {
    private static let queue = DispatchQueue(label: "openai-mock.io", qos: .utility, attributes: .concurrent)

    package static func run<T: Sendable, E: Error>(_ work: @escaping @Sendable () throws(E) -> T) async throws(E) -> T {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, E>, Never>) in
            queue.async {
                do throws(E) {
                    continuation.resume(returning: .success(try work()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }
}
