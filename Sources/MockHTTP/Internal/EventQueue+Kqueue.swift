#if canImport(Darwin)
import Darwin

/// kqueue backend (Darwin): separate read and write filters, a pipe waker.
final class KqueueQueue: EventQueue {
    private let kq: Int32
    let waker: Waker
    private var buffer = [kevent](repeating: kevent(), count: 256)

    init() throws {
        kq = kqueue()
        guard kq >= 0 else { throw systemError("kqueue") }
        _ = fcntl(kq, F_SETFD, FD_CLOEXEC)
        waker = try Waker.make(preferEventFD: false)
        apply(waker.readFD, filter: Int16(EVFILT_READ), flags: UInt16(EV_ADD))
    }

    @discardableResult
    private func apply(_ fd: Int32, filter: Int16, flags: UInt16) -> Int32 {
        var change = kevent(ident: UInt(fd), filter: filter, flags: flags, fflags: 0, data: 0, udata: nil)
        return Darwin.kevent(kq, &change, 1, nil, 0, nil)
    }

    func register(_ fd: Int32, _ interest: Interest) throws {
        modify(fd, from: [], to: interest)
    }

    func modify(_ fd: Int32, from old: Interest, to new: Interest) {
        if old.contains(.read) != new.contains(.read) {
            apply(fd, filter: Int16(EVFILT_READ), flags: UInt16(new.contains(.read) ? EV_ADD : EV_DELETE))
        }
        if old.contains(.write) != new.contains(.write) {
            apply(fd, filter: Int16(EVFILT_WRITE), flags: UInt16(new.contains(.write) ? EV_ADD : EV_DELETE))
        }
    }

    func unregister(_ fd: Int32, _ current: Interest) {
        modify(fd, from: current, to: [])
    }

    func wait(timeoutNanoseconds: Int64, into events: inout [ReadyEvent]) {
        events.removeAll(keepingCapacity: true)
        var timeout = timespec(tv_sec: Int(timeoutNanoseconds / 1_000_000_000),
                               tv_nsec: Int(timeoutNanoseconds % 1_000_000_000))
        let n = buffer.withUnsafeMutableBufferPointer { pointer -> Int32 in
            if timeoutNanoseconds < 0 {
                return Darwin.kevent(kq, nil, 0, pointer.baseAddress, Int32(pointer.count), nil)
            }
            return Darwin.kevent(kq, nil, 0, pointer.baseAddress, Int32(pointer.count), &timeout)
        }
        guard n > 0 else { return }
        for i in 0..<Int(n) {
            let e = buffer[i]
            let fd = Int32(truncatingIfNeeded: e.ident)
            if fd == waker.readFD {
                waker.drain()
                continue
            }
            let isError = e.flags & UInt16(EV_ERROR) != 0
            events.append(ReadyEvent(fd: fd,
                                     readable: e.filter == Int16(EVFILT_READ),
                                     writable: e.filter == Int16(EVFILT_WRITE),
                                     hangup: isError))
        }
    }

    func close() {
        waker.close()
        Syscall.close(kq)
    }
}
#endif
