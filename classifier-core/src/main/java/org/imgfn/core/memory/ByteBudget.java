package org.imgfn.core.memory;

import java.util.concurrent.atomic.AtomicLong;
import org.imgfn.core.api.ClassifyException;
import org.imgfn.core.api.ErrorCode;

/**
 * Memory set aside for everything a request holds of its image, shared by all requests: the bytes from
 * the moment they arrive (downloaded or posted), the decoded pixels, and the crop until the model has
 * run. What would go past it is refused as {@code OVERLOADED} instead of filling the heap (128 requests
 * in flight with 20 MB images each would need 2.5 GB). A reservation counts what is allocated, buffers
 * being replaced included.
 */
public final class ByteBudget {
    private final long capacity;
    private final AtomicLong used = new AtomicLong();

    public ByteBudget(long capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("the byte budget must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    /** A reservation that grows as bytes arrive and gives them all back when closed. */
    public Reservation open() {
        return new Reservation();
    }

    /** Bytes reserved now. */
    long used() {
        return used.get();
    }

    private boolean tryReserve(long bytes) {
        long now;
        do {
            now = used.get();
            if (now + bytes > capacity) {
                return false;
            }
        } while (!used.compareAndSet(now, now + bytes));
        return true;
    }

    /** One request's share of the budget; closing it more than once is harmless. */
    public final class Reservation implements PixelMemory, AutoCloseable {
        private long held;
        private boolean closed;

        private Reservation() {}

        /** Reserves {@code bytes} more; false when the budget is spent or this reservation is closed. */
        public synchronized boolean grow(long bytes) {
            if (closed || !tryReserve(bytes)) {
                return false;
            }
            held += bytes;
            return true;
        }

        /**
         * Reserves {@code bytes} more, or refuses the request.
         *
         * @throws ClassifyException {@code OVERLOADED} when the budget is spent
         */
        public void take(long bytes) {
            if (!grow(bytes)) {
                throw new ClassifyException(ErrorCode.OVERLOADED, "the images being handled fill the memory set"
                        + " aside for them (CLASSIFIER_MAX_BUFFERED_BYTES); retry shortly");
            }
        }

        /** Gives back {@code bytes} of what this reservation holds (a buffer that was replaced). */
        public synchronized void release(long bytes) {
            long given = Math.min(bytes, held);
            held -= given;
            used.addAndGet(-given);
        }

        @Override
        public boolean reserve(long bytes) {
            return grow(bytes);
        }

        @Override
        public long capacity() {
            return capacity;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                used.addAndGet(-held);
                held = 0;
            }
        }
    }
}
