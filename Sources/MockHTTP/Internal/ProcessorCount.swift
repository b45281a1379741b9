#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The default event-loop count: the processors this process may use. Mirrors
/// `ProcessInfo.activeProcessorCount` (Foundation is not linked): on Linux a cgroup v1 CPU
/// quota (rounded up) or cpuset wins, as in a container; otherwise the online processors.
enum ProcessorCount {
    static var active: Int {
        #if os(Linux)
        if let n = quota(quotaPath: "/sys/fs/cgroup/cpu/cpu.cfs_quota_us",
                         periodPath: "/sys/fs/cgroup/cpu/cpu.cfs_period_us") {
            return n
        }
        if let n = cpuset("/sys/fs/cgroup/cpuset/cpuset.cpus") { return n }
        #endif
        return Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    }

    static func quota(quotaPath: String, periodPath: String) -> Int? {
        guard let quota = firstLine(quotaPath).flatMap({ Int($0) }), quota > 0,
              let period = firstLine(periodPath).flatMap({ Int($0) }), period > 0 else { return nil }
        return (quota - 1 + period) / period
    }

    /// `0-3,5` → 5.
    static func cpuset(_ path: String) -> Int? {
        guard let line = firstLine(path) else { return nil }
        return count(cpuList: line)
    }

    static func count(cpuList line: Substring) -> Int? {
        let ranges = line.split(separator: ",")
        guard !ranges.isEmpty else { return nil }
        var total = 0
        for range in ranges {
            let ends = range.split(separator: "-", maxSplits: 1)
            guard let first = ends.first.flatMap({ Int($0) }), let last = ends.last.flatMap({ Int($0) }),
                  last >= first else { return nil }
            total += last - first + 1
        }
        return total
    }

    private static func firstLine(_ path: String) -> Substring? {
        guard let bytes = try? FileIO.read(path) else { return nil }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").first
    }
}
