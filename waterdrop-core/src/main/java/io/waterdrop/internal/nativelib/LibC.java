package io.waterdrop.internal.nativelib;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.IgnoreError;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/** The few libc calls the Poller needs. Calls whose errno we read keep {@link SaveError}. */
public interface LibC {

    @SaveError
    int pipe(@Out int[] fds);

    @SaveError
    int fcntl(int fd, int cmd, int arg);

    @SaveError
    @ssize_t
    long read(int fd, @Out byte[] buf, @size_t long count);

    @SaveError
    @ssize_t
    long write(int fd, @In byte[] buf, @size_t long count);

    /** poll(2) over an array of struct pollfd { int fd; short events; short revents; }. */
    @SaveError
    int poll(Pointer fds, long nfds, int timeoutMs);

    @SaveError
    int close(int fd);

    @IgnoreError
    Pointer malloc(@size_t long size);

    @IgnoreError
    void free(Pointer ptr);
}
