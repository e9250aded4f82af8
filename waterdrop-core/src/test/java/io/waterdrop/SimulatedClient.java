package io.waterdrop;

import io.waterdrop.internal.nativelib.LibC;
import io.waterdrop.internal.nativelib.NativeLibraries;
import io.waterdrop.internal.polling.FdRegistration;
import io.waterdrop.internal.polling.PolledClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntUnaryOperator;

/**
 * A test-only {@link PolledClient} that stands in for a librdkafka handle, so Poller races can run thousands of
 * times per second. It models the main queue the way librdkafka does: an enqueue writes ONE byte to the io-event fd
 * and then stays silent (the latch) until a poll marks the queue served; {@code ioEvents(-1)} stops the writes.
 */
class SimulatedClient implements PolledClient {

    private static final byte[] IO_EVENT = {1};

    private final String name;
    private final LibC libc = NativeLibraries.libc();
    private final ReentrantLock queueLock = new ReentrantLock();
    private int queued;
    private int fd = -1;
    private boolean signalled;

    /** What one poll does with the events it took; returns how many it reports as served. Default: serve all. */
    private volatile IntUnaryOperator serving = events -> events;

    final AtomicLong served = new AtomicLong();
    /** Messages "in flight at the broker": counted by outqLen() like librdkafka's, never served by a poll. */
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger polls = new AtomicInteger();
    final List<Integer> registeredWith = new CopyOnWriteArrayList<>();
    final List<Integer> unregisteredFrom = new CopyOnWriteArrayList<>();
    final List<String> pollingErrors = new CopyOnWriteArrayList<>();
    final List<Throwable> pollingFailures = new CopyOnWriteArrayList<>();
    final List<Integer> ioEventFds = new CopyOnWriteArrayList<>();

    SimulatedClient(String name) {
        this.name = name;
    }

    /** A registration with the given budget, a 100 ms periodic poll interval and a 1 s close drain. */
    FdRegistration registration(Duration maxTime) {
        return new FdRegistration(this, maxTime.toNanos(), Duration.ofMillis(100).toNanos(),
                Duration.ofSeconds(1).toNanos());
    }

    /** Replaces what a poll does; the operator gets the number of queued events taken by this poll. */
    void serving(IntUnaryOperator behaviour) {
        this.serving = behaviour;
    }

    /** Enqueues events as librdkafka would: one byte on the io-event fd per empty-to-served cycle. */
    void enqueue(int events) {
        queueLock.lock();
        try {
            queued += events;
            if (fd >= 0 && !signalled) {
                signalled = true;
                libc.write(fd, IO_EVENT, 1);
            }
        } finally {
            queueLock.unlock();
        }
    }

    @Override
    public String name() {
        return name;
    }

    /** The simulation has no per-message callbacks to yield in: a budgeted poll is a plain poll. */
    @Override
    public int pollUntil(long deadlineNanos) {
        return poll(0);
    }

    @Override
    public int poll(int timeoutMs) {
        polls.incrementAndGet();
        int taken;
        queueLock.lock();
        try {
            signalled = false; // rd_kafka_poll marks the queue served, re-arming the io event
            taken = queued;
            queued = 0;
        } finally {
            queueLock.unlock();
        }
        int result = serving.applyAsInt(taken);
        served.addAndGet(taken);
        return result;
    }

    @Override
    public void wakeUp() {
    }

    @Override
    public int outqLen() {
        queueLock.lock();
        try {
            return queued + inFlight.get();
        } finally {
            queueLock.unlock();
        }
    }

    @Override
    public void ioEvents(int fd) {
        ioEventFds.add(fd);
        queueLock.lock();
        try {
            this.fd = fd;
            signalled = false;
        } finally {
            queueLock.unlock();
        }
    }

    /** The fd io events go to now, -1 when turned off. */
    int ioEventFd() {
        queueLock.lock();
        try {
            return fd;
        } finally {
            queueLock.unlock();
        }
    }

    @Override
    public void registered(int pollerId) {
        registeredWith.add(pollerId);
    }

    @Override
    public void unregistered(int pollerId) {
        unregisteredFrom.add(pollerId);
    }

    @Override
    public void pollingError(String type, Throwable failure) {
        pollingErrors.add(type);
        pollingFailures.add(failure);
    }
}
