import Foundation
import Testing
import WritProcess
#if canImport(Glibc)
import Glibc
#endif

@Suite struct ChildProcessTests {
    /// Everything `command` (run by `sh -c`) prints, and how it ended.
    private func shell(
        _ command: String, environment: [String: String]? = nil, directory: String? = nil
    ) throws -> (output: String, ended: ChildProcess.Termination) {
        try run("/bin/sh", ["-c", command], environment: environment, directory: directory)
    }

    /// Everything `executable` prints, and how it ended.
    private func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, directory: String? = nil
    ) throws -> (output: String, ended: ChildProcess.Termination) {
        let output = Pipe()
        let child = try ChildProcess(
            executable: executable, arguments: arguments, environment: environment,
            currentDirectory: directory, standardInput: .null, standardOutput: .pipe(output))
        let data = try output.fileHandleForReading.readToEnd() ?? Data()
        return (String(decoding: data, as: UTF8.self), child.waitUntilExit())
    }

    @Test func theExitStatusIsReported() throws {
        #expect(try shell("exit 7").ended == .exited(7))
    }

    @Test func aSignalThatEndsTheChildIsReported() throws {
        #expect(try shell("kill -TERM $$").ended == .signalled(SIGTERM))
    }

    @Test func whatTheChildPrintsReachesThePipeUntilItsEnd() throws {
        #expect(try shell("echo one; echo two").output == "one\ntwo\n")
    }

    @Test func whatIsWrittenToItsStandardInputReachesTheChild() throws {
        let input = Pipe(), output = Pipe()
        let child = try ChildProcess(
            executable: "/bin/cat", standardInput: .pipe(input), standardOutput: .pipe(output))
        try input.fileHandleForWriting.write(contentsOf: Data("through cat\n".utf8))
        try input.fileHandleForWriting.close()
        let data = try output.fileHandleForReading.readToEnd() ?? Data()
        #expect(String(decoding: data, as: UTF8.self) == "through cat\n")
        #expect(child.waitUntilExit() == .exited(0))
    }

    @Test func theChildHasOnlyTheEnvironmentGiven() throws {
        #expect(try run("/usr/bin/env", [], environment: ["ONLY": "this"]).output == "ONLY=this\n")
    }

    @Test func theChildStartsInTheDirectoryGiven() throws {
        #expect(try shell("pwd", directory: "/usr/bin").output == "/usr/bin\n")
    }

    /// Foundation's `Process.run()` crashes this process at this many open descriptors;
    /// the child must start, and inherit none of them.
    @Test func theChildInheritsOnlyItsThreeStandardDescriptorsWhenThousandsAreOpen() throws {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        try #require(limit.rlim_max >= 2_600, "the hard limit of open files is \(limit.rlim_max)")
        if limit.rlim_cur < 2_600 {
            limit.rlim_cur = 2_600
            setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        let opened = (0..<2_000).map { _ in open("/dev/null", O_RDONLY) }
        defer { for descriptor in opened where descriptor >= 0 { close(descriptor) } }
        #expect(opened.allSatisfy { $0 >= 0 })
        #expect(try shell("ls /proc/$$/fd").output == "0\n1\n2\n")
    }

    /// Signals 1 to 31; glibc keeps its two internal ones (32, 33) ignored in a child.
    @Test func theChildIgnoresAndBlocksNoSignalWhateverThisProcessDoes() throws {
        let output = try run("/bin/grep", ["-E", "^Sig(Ign|Blk):", "/proc/self/status"]).output
        let masks = Dictionary(uniqueKeysWithValues: output.split(separator: "\n").map { line in
            let fields = line.split(separator: "\t")
            return (String(fields[0]), UInt64(fields[1], radix: 16) ?? .max)
        })
        #expect(masks["SigBlk:"] == 0)
        #expect(masks["SigIgn:"].map { $0 & 0x7fff_ffff } == 0)
    }

    @Test func theChildLeadsAProcessGroupOfItsOwn() throws {
        let output = try shell("cut -d' ' -f5 /proc/$$/stat; echo $$").output
        let fields = output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(fields.count == 2)
        #expect(fields.first == fields.last)
    }

    /// The caller lets go of the pipe once it has read the first line; the child's
    /// later writes must not meet a closed pipe.
    @Test func aPipeTheCallerLetsGoOfStaysOpenWhileTheChildRuns() throws {
        var child: ChildProcess?
        do {
            let output = Pipe()
            child = try ChildProcess(
                executable: "/bin/sh", arguments: ["-c", "echo first; sleep 0.2; echo second; echo third"],
                standardInput: .null, standardOutput: .pipe(output))
            _ = output.fileHandleForReading.availableData
        }
        #expect(child?.waitUntilExit() == .exited(0))
    }

    @Test func terminateEndsARunningChildWithSIGTERM() throws {
        let child = try ChildProcess(executable: "/bin/sleep", arguments: ["30"], standardInput: .null)
        #expect(child.isRunning)
        child.terminate()
        #expect(child.waitUntilExit() == .signalled(SIGTERM))
        #expect(!child.isRunning)
    }

    @Test func aSignalToAnEndedChildIsNotSent() throws {
        let child = try ChildProcess(executable: "/bin/true", standardInput: .null)
        #expect(child.waitUntilExit() == .exited(0))
        child.signal(SIGKILL)
        #expect(child.ended == .exited(0))
    }

    @Test func exitHandlersRunOnceTheChildEnds() async throws {
        let child = try ChildProcess(executable: "/bin/sh", arguments: ["-c", "exit 3"], standardInput: .null)
        #expect(await child.exit() == .exited(3))
        // Registered after the end: called at once.
        let late = await withCheckedContinuation { continuation in
            child.onExit { continuation.resume(returning: $0) }
        }
        #expect(late == .exited(3))
    }

    @Test func aMissingProgramIsALaunchErrorNamingIt() throws {
        let error = #expect(throws: LaunchError.self) {
            try ChildProcess(executable: "/nonexistent/writ-test", standardInput: .null)
        }
        #expect(error?.executable == "/nonexistent/writ-test")
        #expect(error?.code == ENOENT)
    }

    @Test func aMissingWorkingDirectoryIsALaunchError() throws {
        let error = #expect(throws: LaunchError.self) {
            try ChildProcess(executable: "/bin/true", currentDirectory: "/nonexistent/dir", standardInput: .null)
        }
        #expect(error?.code == ENOENT)
        #expect(error?.description == "cannot start `/bin/true`: starting it failed: No such file or directory")
    }
}
