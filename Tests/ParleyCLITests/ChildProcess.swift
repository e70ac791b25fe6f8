import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a program to completion and collects its output, without blocking the concurrency pool.
///
/// Foundation's `Process` on Linux sometimes never notices that a short-lived child exited when
/// many run at once (the child stays a zombie and `waitUntilExit()` waits forever), and the child
/// inherits every descriptor of the test process that is not close-on-exec, sockets of in-process
/// servers included. Here the child is started with `posix_spawn`, keeps only its standard
/// descriptors, and is read and reaped with a blocking `waitpid` on a thread of its own, so no test
/// can hang on it: past `timeout` the child is killed and the run throws.
enum ChildProcess {
    struct Result {
        var status: Int32
        var output: String
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `executable` (a path, or a name looked up in `PATH`) with `arguments`; standard output and error go to one pipe.
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment,
        directory: String? = nil, input: String? = nil, timeout: Duration = .seconds(60)
    ) async throws -> Result {
        let child = try spawn(executable, arguments, environment: environment, directory: directory)
        return try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Swift.Result { try child.finish(input: input, timeout: timeout) })
            }
            thread.name = "parley-tests.child-process"
            thread.start()
        }
    }

    /// A program left running while a test talks to it (a server); ``stop()`` ends it.
    final class Background: Sendable {
        let pid: pid_t
        let command: String
        private let output = Mutex<[UInt8]>([])
        private let ended = Mutex(false)

        fileprivate init(_ child: Spawned) {
            pid = child.pid
            command = child.command
            close(child.input)
            // The child is reaped when it exits, not when its output closes: a program it started (a browser under
            // chromedriver) may hold the output open long after.
            let thread = Thread { [self] in
                var buffer = [UInt8](repeating: 0, count: 16 * 1024)
                var open = true
                while true {
                    var descriptor = pollfd(fd: child.output, events: Int16(POLLIN), revents: 0)
                    if open, poll(&descriptor, 1, 100) > 0 {
                        let count = buffer.withUnsafeMutableBytes { read(child.output, $0.baseAddress, $0.count) }
                        if count > 0 {
                            self.output.withLock { $0 += buffer.prefix(count) }
                            continue
                        }
                        if count == 0 || (errno != EINTR && errno != EAGAIN) { open = false }
                    } else if !open {
                        usleep(100_000)
                    }
                    var status: Int32 = 0
                    if waitpid(child.pid, &status, WNOHANG) == child.pid { break }
                }
                // What it wrote just before it exited.
                while open {
                    var descriptor = pollfd(fd: child.output, events: Int16(POLLIN), revents: 0)
                    guard poll(&descriptor, 1, 0) > 0 else { break }
                    let count = buffer.withUnsafeMutableBytes { read(child.output, $0.baseAddress, $0.count) }
                    guard count > 0 else { break }
                    self.output.withLock { $0 += buffer.prefix(count) }
                }
                close(child.output)
                self.ended.withLock { $0 = true }
            }
            thread.name = "parley-tests.background-process"
            thread.start()
        }

        /// What it printed so far.
        var text: String { String(decoding: output.withLock { $0 }, as: UTF8.self) }

        /// Waits until the output contains `pattern`, and returns the output.
        func waitFor(_ pattern: String, timeout: Duration = .seconds(60)) async throws -> String {
            let deadline = ContinuousClock.now + timeout
            while true {
                let text = self.text
                if text.contains(pattern) { return text }
                guard ContinuousClock.now < deadline, !ended.withLock({ $0 }) else {
                    throw Failure(description: "\(command) never printed \"\(pattern)\"; it printed:\n\(text)")
                }
                try await Task.sleep(for: .milliseconds(50))
            }
        }

        /// Ends it with SIGTERM (SIGKILL if that takes more than ten seconds) and waits until it is gone.
        func stop() async {
            // A program that ended by itself is not signalled: its process id may be another's by now.
            if !ended.withLock({ $0 }) { kill(pid, SIGTERM) }
            let deadline = ContinuousClock.now + .seconds(10)
            while !ended.withLock({ $0 }) {
                if ContinuousClock.now >= deadline { kill(pid, SIGKILL) }
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
    }

    /// Starts `executable` in the background; its standard output and error are collected.
    static func start(
        _ executable: String, _ arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> Background {
        Background(try spawn(executable, arguments, environment: environment, directory: nil))
    }

    fileprivate struct Spawned {
        let pid: pid_t
        let input: Int32
        let output: Int32
        let command: String

        /// Writes `input`, reads the output to its end and reaps the child; kills it past the deadline.
        func finish(input text: String?, timeout: Duration) throws -> Result {
            let deadline = ContinuousClock.now + timeout
            if let text { writeAll(Array(text.utf8)) }
            close(input)
            var output: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 16 * 1024)
            var timedOut = false
            while true {
                var descriptor = pollfd(fd: self.output, events: Int16(POLLIN), revents: 0)
                let ready = poll(&descriptor, 1, 100)
                if ready < 0 && errno != EINTR { break }
                if ready > 0 {
                    let count = buffer.withUnsafeMutableBytes { read(self.output, $0.baseAddress, $0.count) }
                    if count > 0 {
                        output += buffer.prefix(count)
                        continue
                    }
                    if count == 0 || (errno != EINTR && errno != EAGAIN) { break }
                }
                if ContinuousClock.now >= deadline {
                    timedOut = true
                    kill(pid, SIGKILL)
                    break
                }
            }
            close(self.output)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            let text = String(decoding: output, as: UTF8.self)
            if timedOut {
                throw Failure(description: "\(command) did not finish within \(timeout); it printed:\n\(text)")
            }
            // WIFEXITED / WEXITSTATUS are macros; a signal shows as 128 + its number, as in a shell.
            let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            return Result(status: exitStatus, output: text)
        }

        private func writeAll(_ bytes: [UInt8]) {
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { write(input, $0.baseAddress, $0.count) }
                if written > 0 {
                    offset += written
                } else if errno != EINTR {
                    return
                }
            }
        }
    }

    /// Writing to a child that already closed its input must give EPIPE, not end the test process.
    private static let pipeSignalIgnored: Void = { signal(SIGPIPE, SIG_IGN) }()

    private static func spawn(_ executable: String, _ arguments: [String], environment: [String: String], directory: String?)
        throws -> Spawned
    {
        pipeSignalIgnored
        var inputPipe: [Int32] = [0, 0]
        var outputPipe: [Int32] = [0, 0]
        guard pipe(&inputPipe) == 0, pipe(&outputPipe) == 0 else {
            throw Failure(description: "cannot create pipes: \(String(cString: strerror(errno)))")
        }
        for descriptor in inputPipe + outputPipe { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, inputPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, outputPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, outputPipe[1], 2)
        _ = GNUSpawnActions.closeFrom(&actions, 3)
        if let directory { _ = GNUSpawnActions.changeDirectory(&actions, directory) }

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        // The test's threads block most signals and ignore SIGPIPE, and a spawned child inherits both: a tmux server
        // with SIGCHLD blocked never sees its pane's program end, so `kill-server` leaves both running. Children
        // start with no signal blocked and SIGPIPE as usual.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaultSignals = sigset_t()
        sigemptyset(&defaultSignals)
        sigaddset(&defaultSignals, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let result = posix_spawnp(&pid, executable, &actions, &attributes, argv, envp)
        close(inputPipe[0])
        close(outputPipe[1])
        guard result == 0 else {
            close(inputPipe[1])
            close(outputPipe[0])
            throw Failure(description: "cannot start \(executable): \(String(cString: strerror(result)))")
        }
        let command = ([executable] + arguments).joined(separator: " ")
        return Spawned(pid: pid, input: inputPipe[1], output: outputPipe[0], command: command)
    }
}

/// glibc's spawn actions that Swift's Glibc module leaves out (they need `_GNU_SOURCE`), looked up at run time.
private enum GNUSpawnActions {
    typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    typealias ChangeDirectory = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    /// Closes every descriptor from the given one up in the child (glibc 2.34 and later).
    static let closeFrom: CloseFrom = unsafeBitCast(symbol("posix_spawn_file_actions_addclosefrom_np"), to: CloseFrom.self)
    /// Changes the child's working directory before it runs (glibc 2.29 and later).
    static let changeDirectory: ChangeDirectory = unsafeBitCast(
        symbol("posix_spawn_file_actions_addchdir_np"), to: ChangeDirectory.self)

    private static func symbol(_ name: String) -> UnsafeMutableRawPointer {
        guard let address = dlsym(UnsafeMutableRawPointer(bitPattern: 0), name) else {
            fatalError("this C library has no \(name); the tests need glibc 2.34 or later")
        }
        return address
    }
}
