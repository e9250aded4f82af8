package io.waterdrop.internal.nativelib;

import java.util.concurrent.locks.ReentrantReadWriteLock;
import jnr.ffi.LastError;
import jnr.ffi.Platform;

/**
 * An OS pipe with both ends non-blocking and close-on-exec.
 *
 * <p>Non-blocking matters on the write end above all: librdkafka writes its wake-up byte while holding the queue lock,
 * and a blocking write into a full pipe hung producers (librdkafka issue 2932). On the read end it lets
 * {@link #drain()} empty the pipe without ever blocking the Poller.
 */
public final class Pipe implements AutoCloseable {

    private static final int F_SETFD = 2;
    private static final int F_GETFL = 3;
    private static final int F_SETFL = 4;
    private static final int FD_CLOEXEC = 1;
    private static final int O_NONBLOCK = Platform.getNativePlatform().getOS() == Platform.OS.DARWIN ? 0x0004 : 0x0800;
    private static final int EINTR = 4;
    private static final byte[] SIGNAL = {1};

    private final LibC libc;
    private final int readFd;
    private final int writeFd;
    /**
     * Read lock: a {@link #signal()} in progress; write lock: {@link #close()}. Without it a signal could pass the
     * "closed?" check, lose the CPU while another thread closes the pipe and the OS hands the fd number to a new
     * file or socket, and then write its byte there (a close request racing the Poller's own close did this).
     */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private volatile boolean closed;
    private final byte[] drainBuffer = new byte[256];

    private Pipe(LibC libc, int readFd, int writeFd) {
        this.libc = libc;
        this.readFd = readFd;
        this.writeFd = writeFd;
    }

    /** Opens a new pipe; throws {@link IllegalStateException} with errno when the OS refuses (e.g. out of fds). */
    public static Pipe open() {
        LibC libc = NativeLibraries.libc();
        int[] fds = new int[2];
        if (libc.pipe(fds) != 0) {
            throw new IllegalStateException("pipe() failed: errno " + LastError.getLastError(NativeLibraries.runtime()));
        }
        Pipe pipe = new Pipe(libc, fds[0], fds[1]);
        try {
            pipe.configure(fds[0]);
            pipe.configure(fds[1]);
        } catch (RuntimeException e) {
            pipe.close();
            throw e;
        }
        return pipe;
    }

    private void configure(int fd) {
        int flags = libc.fcntl(fd, F_GETFL, 0);
        if (flags < 0 || libc.fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0 || libc.fcntl(fd, F_SETFD, FD_CLOEXEC) < 0) {
            throw new IllegalStateException("fcntl() on a pipe failed: errno " + LastError.getLastError(NativeLibraries.runtime()));
        }
    }

    public int readFd() {
        return readFd;
    }

    public int writeFd() {
        return writeFd;
    }

    /**
     * Writes one byte. A full pipe (EAGAIN) is fine: it is already readable, which is all a signal has to achieve.
     */
    public void signal() {
        lifecycle.readLock().lock();
        try {
            if (!closed) {
                libc.write(writeFd, SIGNAL, 1);
            }
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** Reads until the pipe is empty; returns the number of bytes read. Only the reading thread may call this. */
    public int drain() {
        int total = 0;
        while (true) {
            long n = libc.read(readFd, drainBuffer, drainBuffer.length);
            if (n > 0) {
                total += (int) n;
                if (n < drainBuffer.length) {
                    return total;
                }
            } else if (n < 0 && LastError.getLastError(NativeLibraries.runtime()) == EINTR) {
                continue;
            } else {
                return total; // 0 (closed) or EAGAIN (empty)
            }
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /** Closes both ends once, after any signal in progress; later calls do nothing. */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                libc.close(readFd);
                libc.close(writeFd);
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }
}
