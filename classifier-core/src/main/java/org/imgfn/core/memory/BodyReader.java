package org.imgfn.core.memory;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.function.Supplier;
import org.imgfn.core.api.ClassifyException;
import org.imgfn.core.api.ErrorCode;

/**
 * Reads a body (downloaded or posted) into memory under a cap, reserving every byte it allocates from
 * a {@link ByteBudget} before allocating it: the whole declared length at once, or, without one, each larger buffer while
 * the smaller one is still held, and the final copy.
 */
public final class BodyReader {
    private static final int FIRST_BUFFER = 64 * 1024;

    private BodyReader() {}

    /**
     * @param declared the length the sender declared, or -1
     * @throws ClassifyException {@code tooLarge} past the cap, {@code OVERLOADED} when the budget is spent
     */
    public static byte[] read(InputStream in, long declared, long cap, ByteBudget.Reservation reservation,
            Supplier<ClassifyException> tooLarge) throws IOException {
        if (declared > cap) {
            throw tooLarge.get();
        }
        if (declared >= 0) {
            // Straight into one array: readNBytes(n) would gather chunks and copy them, holding twice the body.
            reservation.take(declared);
            byte[] body = new byte[(int) declared];
            int read = in.readNBytes(body, 0, body.length);
            if (read < declared) {
                throw new ClassifyException(ErrorCode.UPSTREAM_ERROR, "the image body ended after " + read
                        + " of the " + declared + " bytes it declared");
            }
            return body;
        }
        int limit = (int) Math.min(Integer.MAX_VALUE - 8, cap + 1);
        int first = Math.min(FIRST_BUFFER, limit);
        reservation.take(first);
        byte[] buffer = new byte[first];
        int length = 0;
        for (int n; (n = in.read(buffer, length, buffer.length - length)) >= 0; ) {
            length += n;
            if (length > cap) {
                throw tooLarge.get();
            }
            if (length == buffer.length) {
                int larger = (int) Math.min(limit, 2L * buffer.length);
                reservation.take(larger);
                buffer = Arrays.copyOf(buffer, larger);
                reservation.release(length);
            }
        }
        reservation.take(length);
        byte[] body = Arrays.copyOf(buffer, length);
        reservation.release(buffer.length);
        return body;
    }
}
