import CSpawn
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A program started as a child of this process, with `posix_spawn`.
///
/// Writ starts its children (an MCP upstream of `writ gateway`, an MCP server whose tools
/// `writ inventory import --mcp` lists, `tar`) with this type rather than Foundation's
/// `Process`. On Linux, `Process.run()` of this toolchain's Foundation finds the descriptors
/// to close in the child by listing `/proc/self/fd` and copying each entry's name as a
/// 256-byte field, which reads past the end of glibc's directory buffer once about 1,360
/// descriptors are open: the whole process dies of SIGSEGV. A gateway serving many
/// connections would die the moment it restarted an upstream. Here the kernel closes them
/// (`posix_spawn_file_actions_addclosefrom_np`); nothing lists the directory.
///
/// The child gets:
/// - standard input, output and error as asked (`Stream`), and no other descriptor of
///   this process;
/// - the default disposition of every signal and an empty signal mask, whatever this
///   process ignores or blocks (a server ignores SIGTERM and SIGINT to handle them itself;
///   its children must not inherit that);
/// - a process group of its own, so that a terminal's Ctrl-C reaches only this process,
///   which decides what to do with its children.
///
/// A thread of its own waits for the child, so `isRunning`, `waitUntilExit()` and
/// `onExit(_:)` never poll, and `signal(_:)` can never reach another process that reused
/// the child's id.
public final class ChildProcess: @unchecked Sendable {
    /// Where one of the child's standard streams goes.
    public enum Stream {
        /// This process's own stream of the same number.
        case inherit
        /// `/dev/null`.
        case null
        /// One end of `pipe`: its reading end for standard input, its writing end for
        /// output and error. The launch closes that end in this process, so reading the
        /// other end meets its end of file when the child closes its own, and the child
        /// sees end of file when this process closes the writing end it kept. The
        /// `ChildProcess` keeps `pipe` while it exists, so the child does not write into
        /// a pipe nobody holds (and die of SIGPIPE) because its caller let go of it.
        case pipe(Pipe)
        /// An open file of this process, which stays open here.
        case fileHandle(FileHandle)
    }

    /// How the child ended.
    public enum Termination: Sendable, Equatable, CustomStringConvertible {
        /// It exited with this status.
        case exited(Int32)
        /// A signal with this number ended it.
        case signalled(Int32)

        /// The exit status, or the number of the signal that ended it.
        public var status: Int32 {
            switch self {
            case .exited(let status), .signalled(let status): status
            }
        }

        public var description: String {
            switch self {
            case .exited(let status): "exit status \(status)"
            case .signalled(let signal): "signal \(signal)"
            }
        }
    }

    /// The child's process id.
    public let processIdentifier: pid_t
    /// The path of the program, as given.
    public let executable: String

    /// The pipes and files given, kept open here while this object exists.
    private let streams: [Stream]
    private let condition = NSCondition()
    private var termination: Termination?
    private var exitHandlers: [@Sendable (Termination) -> Void] = []

    /// Starts `executable` (a path; use `/usr/bin/env` to search `PATH`) with
    /// `arguments`.
    /// - Parameters:
    ///   - environment: the child's whole environment; this process's own when `nil`.
    ///   - currentDirectory: the child's working directory; this process's when `nil`.
    /// - Throws: `LaunchError` when the program cannot be started (no such file, not
    ///   executable, a directory that does not exist); nothing was started then.
    public init(
        executable: String,
        arguments: [String] = [],
        environment: [String: String]? = nil,
        currentDirectory: String? = nil,
        standardInput: Stream = .inherit,
        standardOutput: Stream = .inherit,
        standardError: Stream = .inherit
    ) throws(LaunchError) {
        self.executable = executable
        let streams = [standardInput, standardOutput, standardError]
        self.streams = streams
        processIdentifier = try Self.spawn(
            executable, arguments: arguments,
            environment: environment ?? ProcessInfo.processInfo.environment,
            currentDirectory: currentDirectory, streams: streams)
        for (number, stream) in streams.enumerated() {
            guard case .pipe(let pipe) = stream else { continue }
            try? (number == 0 ? pipe.fileHandleForReading : pipe.fileHandleForWriting).close()
        }
        Thread { [self] in reap() }.start()
    }

    /// Whether the child has not ended yet (or has ended a moment ago and is not yet
    /// collected).
    public var isRunning: Bool {
        condition.lock()
        defer { condition.unlock() }
        return termination == nil
    }

    /// How the child ended, or `nil` while it runs.
    public var ended: Termination? {
        condition.lock()
        defer { condition.unlock() }
        return termination
    }

    /// Blocks the calling thread until the child has ended, and says how.
    @discardableResult
    public func waitUntilExit() -> Termination {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let termination { return termination }
            condition.wait()
        }
    }

    /// Waits, without blocking a thread, until the child has ended.
    public func exit() async -> Termination {
        await withCheckedContinuation { continuation in
            onExit { continuation.resume(returning: $0) }
        }
    }

    /// Calls `handler` once the child has ended, on the thread that saw it end, or at
    /// once on this thread when it has already ended.
    public func onExit(_ handler: @escaping @Sendable (Termination) -> Void) {
        condition.lock()
        if let termination {
            condition.unlock()
            handler(termination)
            return
        }
        exitHandlers.append(handler)
        condition.unlock()
    }

    /// Sends signal `number` to the child, unless it has already ended.
    public func signal(_ number: Int32) {
        // The child's id stays its own until `reap()` collects it, which takes this lock.
        condition.lock()
        defer { condition.unlock() }
        if termination == nil { _ = kill(processIdentifier, number) }
    }

    /// Sends SIGTERM, unless the child has already ended.
    public func terminate() { signal(SIGTERM) }

    // MARK: - Waiting

    /// Waits for the child to end without collecting it, then collects it under the lock
    /// `signal(_:)` takes, and tells the waiters.
    private func reap() {
        var info = siginfo_t()
        while waitid(P_PID, id_t(processIdentifier), &info, WEXITED | WNOWAIT) != 0 && errno == EINTR {}
        condition.lock()
        var status: Int32 = 0
        var collected: pid_t
        repeat {
            collected = waitpid(processIdentifier, &status, 0)
        } while collected == -1 && errno == EINTR
        let ended: Termination
        if collected == -1 {
            ended = .exited(-1)
        } else if status & 0x7f == 0 {
            ended = .exited((status >> 8) & 0xff)
        } else {
            ended = .signalled(status & 0x7f)
        }
        termination = ended
        let handlers = exitHandlers
        exitHandlers = []
        condition.broadcast()
        condition.unlock()
        for handler in handlers { handler(ended) }
    }

    // MARK: - Starting

    private static func spawn(
        _ executable: String, arguments: [String], environment: [String: String],
        currentDirectory: String?, streams: [Stream]
    ) throws(LaunchError) -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }

        func check(_ code: Int32, _ what: String) throws(LaunchError) {
            if code != 0 { throw LaunchError(executable: executable, step: what, code: code) }
        }
        for (number, stream) in streams.enumerated() {
            let target = Int32(number)
            switch stream {
            case .inherit:
                continue
            case .null:
                try check(
                    posix_spawn_file_actions_addopen(&actions, target, "/dev/null", number == 0 ? O_RDONLY : O_WRONLY, 0),
                    "opening /dev/null")
            case .pipe(let pipe):
                let end = number == 0 ? pipe.fileHandleForReading : pipe.fileHandleForWriting
                try check(posix_spawn_file_actions_adddup2(&actions, end.fileDescriptor, target), "connecting a pipe")
            case .fileHandle(let handle):
                try check(posix_spawn_file_actions_adddup2(&actions, handle.fileDescriptor, target), "connecting a file")
            }
        }
        if let currentDirectory {
            try check(writ_spawn_add_chdir(&actions, currentDirectory), "changing to `\(currentDirectory)`")
        }
        try check(writ_spawn_add_close_from(&actions, 3), "closing inherited descriptors")

        var defaults = sigset_t()
        sigfillset(&defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        try check(posix_spawnattr_setsigdefault(&attributes, &defaults), "resetting signals")
        try check(posix_spawnattr_setsigmask(&attributes, &mask), "clearing the signal mask")
        try check(posix_spawnattr_setpgroup(&attributes, 0), "setting the process group")
        let flags = POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP
        try check(posix_spawnattr_setflags(&attributes, Int16(flags)), "setting the spawn flags")

        let argv = CStrings([executable] + arguments)
        let envp = CStrings(environment.map { "\($0.key)=\($0.value)" })
        var pid = pid_t()
        let code = argv.withPointers { argv in
            envp.withPointers { envp in posix_spawn(&pid, executable, &actions, &attributes, argv, envp) }
        }
        try check(code, "starting it")
        return pid
    }
}

/// Why a child process could not be started.
public struct LaunchError: Error, Equatable, CustomStringConvertible {
    /// The program's path, as given.
    public let executable: String
    /// What failed: "starting it", "changing to `DIR`", …
    public let step: String
    /// The `errno` value.
    public let code: Int32

    public var description: String {
        "cannot start `\(executable)`: \(step) failed: \(String(cString: strerror(code)))"
    }
}

/// A NULL-terminated array of C strings, freed with it.
private final class CStrings {
    private var pointers: [UnsafeMutablePointer<CChar>?]

    init(_ strings: [String]) {
        pointers = strings.map { strdup($0) } + [nil]
    }

    deinit {
        for pointer in pointers { free(pointer) }
    }

    func withPointers<T>(_ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> T) -> T {
        pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
