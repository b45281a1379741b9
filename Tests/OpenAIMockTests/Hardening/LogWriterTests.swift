#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import OpenAIMock

/// The log writer with a reader that stops draining its pipe: writes never block, lines beyond the
/// buffer are dropped and counted, and the count is reported before the next line once the reader is back.
@Suite struct LogWriterTests {
    @Test func aStalledReaderNeverBlocksAndDropsAreReported() async throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]) }
        // The pipe is full before the writer starts, so its thread blocks on its first write and the
        // lines below overflow the buffer whatever the scheduling.
        let flags = fcntl(fds[1], F_GETFL)
        _ = fcntl(fds[1], F_SETFL, flags | O_NONBLOCK)
        let filler = [UInt8](repeating: UInt8(ascii: "\n"), count: 4_096)
        while filler.withUnsafeBytes({ write(fds[1], $0.baseAddress, $0.count) }) > 0 {}
        _ = fcntl(fds[1], F_SETFL, flags)
        let writer = LogWriter(fd: fds[1], capacity: 4_096)
        let notice = { (count: Int) in "dropped \(count)\n" }
        let line = String(repeating: "x", count: 99) + "\n"
        var accepted = 0
        for _ in 0..<2_000 where writer.write(line, notice: notice) { accepted += 1 }  // 200 KB into a full pipe nobody reads
        #expect(accepted < 2_000)

        // The reader comes back: what was queued arrives, and the next line after a notice of the drops.
        _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        func drain() {
            while true {
                let n = chunk.withUnsafeMutableBytes { read(fds[0], $0.baseAddress, $0.count) }
                if n <= 0 { return }
                received += chunk[..<n]
            }
        }
        for _ in 0..<400 {
            drain()
            if writer.write("after\n", notice: notice) { break }
            try await Task.sleep(for: .milliseconds(5))
        }
        writer.flush(timeout: .seconds(5))
        drain()
        let lines = String(decoding: received, as: UTF8.self).split(separator: "\n")
        let reported = lines.compactMap { $0.hasPrefix("dropped ") ? Int($0.dropFirst(8)) : nil }.reduce(0, +)
        #expect(lines.filter { $0.hasPrefix("xxx") }.count == accepted)
        #expect(accepted + reported == 2_000, "every line is written or counted")
        #expect(reported > 0 && lines.suffix(2).first?.hasPrefix("dropped ") == true && lines.last == "after")
        #expect(writer.droppedCount == 0)
    }

    @Test func jsonLogsReportDropsAsJSON() throws {
        let notice = RequestLog.dropNotice(3, format: .json)
        let parsed = try JSONValue.parse(Array(notice.dropLast().utf8))
        #expect(parsed["dropped_lines"] == 3)
        #expect(RequestLog.dropNotice(1, format: .text) == "openai-mock: 1 log line dropped: stderr is not being read fast enough\n")
    }
}
