#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `poll(2)` backend: an array of `pollfd` plus an index by descriptor. O(n) per wait, so it
/// is the fallback, not the default.
final class PollQueue: EventQueue {
    let waker: Waker
    private var fds: [pollfd] = []
    private var index: [Int32: Int] = [:]

    init() throws {
        waker = try Waker.make(preferEventFD: false)
        fds.append(pollfd(fd: waker.readFD, events: Int16(POLLIN), revents: 0))
    }

    private func mask(_ interest: Interest) -> Int16 {
        var m: Int16 = 0
        if interest.contains(.read) { m |= Int16(POLLIN) }
        if interest.contains(.write) { m |= Int16(POLLOUT) }
        return m
    }

    func register(_ fd: Int32, _ interest: Interest) throws {
        index[fd] = fds.count
        fds.append(pollfd(fd: fd, events: mask(interest), revents: 0))
    }

    func modify(_ fd: Int32, from old: Interest, to new: Interest) {
        guard let i = index[fd] else { return }
        fds[i].events = mask(new)
    }

    func unregister(_ fd: Int32, _ current: Interest) {
        guard let i = index.removeValue(forKey: fd) else { return }
        let last = fds.count - 1
        if i != last {
            fds[i] = fds[last]
            index[fds[i].fd] = i
        }
        fds.removeLast()
    }

    func wait(timeoutNanoseconds: Int64, into events: inout [ReadyEvent]) {
        events.removeAll(keepingCapacity: true)
        let n = fds.withUnsafeMutableBufferPointer {
            poll($0.baseAddress, nfds_t($0.count), timeoutNanoseconds.roundedUpMilliseconds)
        }
        guard n > 0 else { return }
        let hangup = Int16(POLLERR) | Int16(POLLHUP) | Int16(POLLNVAL)
        for entry in fds where entry.revents != 0 {
            if entry.fd == waker.readFD {
                waker.drain()
                continue
            }
            let r = entry.revents
            events.append(ReadyEvent(fd: entry.fd,
                                     readable: r & Int16(POLLIN) != 0,
                                     writable: r & Int16(POLLOUT) != 0,
                                     hangup: r & hangup != 0))
        }
    }

    func close() {
        waker.close()
    }
}
