package org.imgfn.core.http;

import java.io.IOException;
import java.io.InputStream;
import org.imgfn.core.api.ClassifyException;
import org.imgfn.core.api.ErrorCode;

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

    static ClassifyException tooLarge(long cap) {
        return new ClassifyException(ErrorCode.REQUEST_TOO_LARGE,
                "the request body is larger than the limit of " + cap + " bytes (CLASSIFIER_MAX_IMAGE_BYTES)");
    }
}
