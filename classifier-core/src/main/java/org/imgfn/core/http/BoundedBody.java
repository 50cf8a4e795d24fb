package org.imgfn.core.http;

import java.io.IOException;
import java.io.InputStream;
import org.imgfn.core.api.ClassifyException;
import org.imgfn.core.api.ErrorCode;
import org.imgfn.core.memory.BodyReader;
import org.imgfn.core.memory.ByteBudget;

/** Reads a request body as bytes, refusing it once more than the cap has arrived, whatever its framing. */
public final class BoundedBody {
    private BoundedBody() {}

    public static byte[] read(InputStream in, long cap) throws IOException {
        byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, cap + 1));
        if (body.length > cap) {
            throw tooLarge(cap);
        }
        return body;
    }

    /**
     * Reads a body of {@code declared} bytes (-1: unknown) under the cap, reserving it from
     * {@code reservation} as it arrives.
     */
    public static byte[] read(InputStream in, long declared, long cap, ByteBudget.Reservation reservation)
            throws IOException {
        return BodyReader.read(in, declared, cap, reservation, () -> tooLarge(cap));
    }

    static ClassifyException tooLarge(long cap) {
        return new ClassifyException(ErrorCode.REQUEST_TOO_LARGE,
                "the request body is larger than the limit of " + cap + " bytes (CLASSIFIER_MAX_IMAGE_BYTES)");
    }
}
