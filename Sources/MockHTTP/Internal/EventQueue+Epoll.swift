#if os(Linux)
import Glibc
import CSystem

/// Level-triggered epoll with an eventfd waker.
final class EpollQueue: EventQueue {
    private let epfd: Int32
    let waker: Waker
    private var buffer = [csystem_event](repeating: csystem_event(), count: 256)

    init() throws {
        epfd = csystem_epoll_create()
        guard epfd >= 0 else { throw systemError("epoll_create1") }
        do {
            waker = try Waker.make()
        } catch {
            Syscall.close(epfd)
            throw error
        }
        guard csystem_epoll_ctl(epfd, 0, waker.readFD, CSYSTEM_EV_IN, UInt64(UInt32(bitPattern: waker.readFD))) == 0 else {
            let error = systemError("epoll_ctl")
            waker.close()
            Syscall.close(epfd)
            throw error
        }
    }

    @inline(__always)
    private func mask(_ interest: Interest) -> UInt32 {
        var m: UInt32 = 0
        if interest.contains(.read) { m |= CSYSTEM_EV_IN | CSYSTEM_EV_RDHUP }
        if interest.contains(.write) { m |= CSYSTEM_EV_OUT }
        return m
    }

    func register(_ fd: Int32, _ interest: Interest) throws {
        guard csystem_epoll_ctl(epfd, 0, fd, mask(interest), UInt64(UInt32(bitPattern: fd))) == 0 else {
            throw systemError("epoll_ctl")
        }
    }

    func modify(_ fd: Int32, from old: Interest, to new: Interest) {
        guard old != new else { return }
        _ = csystem_epoll_ctl(epfd, 1, fd, mask(new), UInt64(UInt32(bitPattern: fd)))
    }

    func unregister(_ fd: Int32, _ current: Interest) {
        _ = csystem_epoll_ctl(epfd, 2, fd, 0, 0)
    }

    func wait(timeoutNanoseconds: Int64, into events: inout [ReadyEvent]) {
        events.removeAll(keepingCapacity: true)
        let n = buffer.withUnsafeMutableBufferPointer {
            csystem_epoll_wait(epfd, $0.baseAddress, Int32($0.count), timeoutNanoseconds)
        }
        guard n > 0 else { return }  // EINTR or timeout: the loop simply goes round again
        let hangupMask = CSYSTEM_EV_ERR | CSYSTEM_EV_HUP
        for i in 0..<Int(n) {
            let e = buffer[i]
            let fd = Int32(truncatingIfNeeded: e.data)
            if fd == waker.readFD {
                waker.drain()
                continue
            }
            events.append(ReadyEvent(fd: fd,
                                     readable: e.events & (CSYSTEM_EV_IN | CSYSTEM_EV_RDHUP) != 0,
                                     writable: e.events & CSYSTEM_EV_OUT != 0,
                                     hangup: e.events & hangupMask != 0))
        }
    }

    func close() {
        waker.close()
        Syscall.close(epfd)
    }
}
#endif
