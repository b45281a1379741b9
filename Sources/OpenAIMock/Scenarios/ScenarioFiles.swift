#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The few file system calls scenario loading needs, over POSIX: linking Foundation for
/// `FileManager` and `URL` alone would cost the server several MB of resident memory.
enum ScenarioFiles {
    enum Kind { case missing, file, directory }

    /// What is at `path`, following symlinks (a dangling link is missing).
    static func kind(_ path: String) -> Kind {
        var st = stat()
        guard stat(path, &st) == 0 else { return .missing }
        return (st.st_mode & S_IFMT) == S_IFDIR ? .directory : .file
    }

    /// The largest scenario or side file read: a `text_file` naming `/dev/zero` or a multi-GB log
    /// gets a diagnostic instead of exhausting memory.
    static let maxFileBytes = 8 << 20

    enum ReadError: Error, CustomStringConvertible {
        case cannotOpen
        case notRegularFile
        case tooLarge

        var description: String {
            switch self {
            case .cannotOpen: return "cannot be read"
            case .notRegularFile: return "is not a regular file"
            case .tooLarge: return "is larger than \(ScenarioFiles.maxFileBytes >> 20) MiB"
            }
        }
    }

    /// The whole of a regular file of at most ``maxFileBytes``. Opened non-blocking, so a FIFO
    /// (whose open would wait for a writer) is refused at once like any other non-regular file.
    static func contents(_ path: String) -> Result<[UInt8], ReadError> {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { return .failure(.cannotOpen) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return .failure(.cannotOpen) }
        guard (st.st_mode & S_IFMT) == S_IFREG else { return .failure(.notRegularFile) }
        guard st.st_size <= maxFileBytes else { return .failure(.tooLarge) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n == 0 { return .success(bytes) }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return .failure(.cannotOpen)
            }
            bytes.append(contentsOf: chunk[..<n])
            if bytes.count > maxFileBytes { return .failure(.tooLarge) }  // grew while being read
        }
    }

    /// Every entry below `directory`, as paths relative to it (`a`, `a/b.json`), in no particular
    /// order. Symlinked directories are listed but not entered; unreadable ones are skipped.
    static func subpaths(of directory: String) -> [String] {
        var out: [String] = []
        walk(directory, prefix: "", into: &out)
        return out
    }

    private static func walk(_ directory: String, prefix: String, into out: inout [String]) {
        guard let dir = opendir(directory) else { return }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: entry.pointee.d_name)) {
                    String(cString: $0)
                }
            }
            if name == "." || name == ".." { continue }
            let relative = prefix + name
            out.append(relative)
            let full = directory + "/" + name
            var isDirectory = entry.pointee.d_type == UInt8(DT_DIR)
            if entry.pointee.d_type == UInt8(DT_UNKNOWN) {
                var st = stat()
                isDirectory = lstat(full, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
            }
            if isDirectory { walk(full, prefix: relative + "/", into: &out) }
        }
    }

    /// The absolute directory holding `file` (relative paths resolve against the working
    /// directory), against which its side files resolve.
    static func directory(of file: String) -> String {
        var path = file.hasPrefix("/") ? file : currentDirectory() + "/" + file
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        guard let slash = path.lastIndex(of: "/") else { return "/" }
        let parent = String(path[..<slash])
        return parent.isEmpty ? "/" : parent
    }

    /// `path` as is when absolute, else under `directory`.
    static func resolve(_ path: String, in directory: String) -> String {
        if path.hasPrefix("/") { return path }
        return directory.hasSuffix("/") ? directory + path : directory + "/" + path
    }

    private static func currentDirectory() -> String {
        guard let cwd = getcwd(nil, 0) else { return "." }
        defer { free(cwd) }
        return String(cString: cwd)
    }
}
