#if canImport(Glibc)
import Glibc
import CSystem
#elseif canImport(Musl)
import Musl
import CSystem
#elseif canImport(Darwin)
import Darwin
#endif

/// Starts the detached POSIX thread an ``EventLoop`` runs on (what Foundation's `Thread` did,
/// without linking Foundation): a small explicit stack, and a name for `top -H` / debuggers.
package enum LoopThread {
    /// The name is cut to 15 bytes, the longest Linux accepts.
    package static func start(name: String, stackSize: Int, _ body: @escaping @Sendable () -> Void) {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        pthread_attr_setstacksize(&attributes, stackSize)
        let box = Unmanaged.passRetained(Start(name: name, body: body)).toOpaque()
        #if canImport(Darwin)
        var thread: pthread_t?
        #else
        var thread = pthread_t()
        #endif
        let rc = pthread_create(&thread, &attributes, { raw in
            #if canImport(Darwin)
            let start = Unmanaged<Start>.fromOpaque(raw).takeRetainedValue()
            #else
            let start = Unmanaged<Start>.fromOpaque(raw!).takeRetainedValue()
            #endif
            start.run()
            return nil
        }, box)
        if rc != 0 {
            fatalError("cannot start thread \(name): \(String(cString: strerror(rc)))")
        }
    }

    private final class Start {
        let name: String
        let body: @Sendable () -> Void

        init(name: String, body: @escaping @Sendable () -> Void) {
            self.name = name
            self.body = body
        }

        func run() {
            let short = String(decoding: name.utf8.prefix(15), as: UTF8.self)
            #if canImport(Darwin)
            pthread_setname_np(short)
            #else
            csystem_set_thread_name(short)
            #endif
            body()
        }
    }
}
