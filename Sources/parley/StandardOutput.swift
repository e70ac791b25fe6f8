// `stdout` is a mutable C global, which Swift 6 refuses to read without this.
@preconcurrency import Glibc

/// Makes standard output line-buffered even when it is a file or a pipe, so that what a command
/// prints (a URL to open, a server's address) shows up at once for scripts and logs.
func lineBufferStandardOutput() {
    setvbuf(stdout, nil, _IOLBF, 0)
}
