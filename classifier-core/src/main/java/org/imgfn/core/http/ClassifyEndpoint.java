package org.imgfn.core.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.imgfn.core.Classifier;
import org.imgfn.core.api.Classification;
import org.imgfn.core.api.ClassifyException;
import org.imgfn.core.api.ClassifyRequest;
import org.imgfn.core.api.ErrorCode;
import org.imgfn.core.api.Timings;
import org.imgfn.core.memory.ByteBudget;

/**
 * The classification endpoint both platforms serve: parses the call, classifies, and answers JSON,
 * with every failure going through {@link ErrorReplies}.
 */
public final class ClassifyEndpoint {
    /** Bytes of an over-long body read and dropped so that the client sees the refusal rather than a reset. */
    private static final long DRAIN_LIMIT = 64L * 1024 * 1024;

    private final Supplier<Classifier> classifier;
    private final long maxBodyBytes;

    /**
     * @param classifier   gives the process's classifier; it may load it lazily, and may throw
     *                     a {@code NOT_READY} {@link org.imgfn.core.api.ClassifyException} meanwhile
     * @param maxBodyBytes largest request body accepted
     */
    public ClassifyEndpoint(Supplier<Classifier> classifier, long maxBodyBytes) {
        this.classifier = classifier;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Answers {@code call}, and tells {@code listener} (logs, metrics) what became of it. */
    public HttpReply handle(HttpCall call, Consumer<CallOutcome> listener) {
        long start = System.nanoTime();
        HttpReply reply;
        String errorCode = null;
        Timings timings = null;
        try {
            if (call.body().length > maxBodyBytes) {
                throw BoundedBody.tooLarge(maxBodyBytes);
            }
            ClassifyRequest request = RequestParser.parse(call);
            Classification result = classifier.get().classify(request, call.client());
            timings = result.timings();
            reply = HttpReply.classified(result);
        } catch (RuntimeException | Error e) {
            errorCode = ErrorReplies.codeOf(e).name();
            reply = ErrorReplies.from(e);
        }
        listener.accept(new CallOutcome(reply.status(), errorCode, timings, (System.nanoTime() - start) / 1e9));
        return reply;
    }

    /**
     * Reads a request body of {@code declaredLength} bytes (-1: unknown, e.g. chunked) under the cap,
     * reserving it from the classifier's image memory as it arrives (all at once from the declared
     * length); the classification reserves it again for as long as it holds it. A body refused once it
     * is arriving is read to its end (up to a limit) and dropped, so the client sees the answer rather
     * than a reset; one whose declared length is over the cap is refused before a byte is read (a client
     * that waits for {@code 100 Continue} is then never asked for it), and the server decides what
     * becomes of its bytes.
     *
     * @throws ClassifyException {@code REQUEST_TOO_LARGE} past the cap, {@code OVERLOADED} when the image
     *                           memory is full, {@code REQUEST_TIMEOUT} when the stream's deadline passes,
     *                           {@code INVALID_REQUEST} when the body cannot be read
     */
    public byte[] readBody(InputStream in, long declaredLength) {
        if (declaredLength > maxBodyBytes) {
            throw BoundedBody.tooLarge(maxBodyBytes);
        }
        try (in; ByteBudget.Reservation reading = classifier.get().memory().open()) {
            try {
                return BoundedBody.read(in, declaredLength, maxBodyBytes, reading);
            } catch (ClassifyException refused) {
                reading.close();
                drain(in);
                throw refused;
            }
        } catch (SocketTimeoutException e) {
            throw new ClassifyException(ErrorCode.REQUEST_TIMEOUT, "the request body did not arrive within the server's"
                    + " deadline (SERVER_BODY_TIMEOUT_SECONDS)");
        } catch (IOException e) {
            throw new ClassifyException(ErrorCode.INVALID_REQUEST, "the request body could not be read: " + e.getMessage());
        }
    }

    /** Reads and drops what is left of a refused body; a failure here changes nothing about the refusal. */
    private static void drain(InputStream in) {
        byte[] sink = new byte[8192];
        long drained = 0;
        try {
            for (int n; drained < DRAIN_LIMIT && (n = in.read(sink)) >= 0; ) {
                drained += n;
            }
        } catch (IOException e) {
            // cut short (a deadline, a reset): the client gets the refusal or nothing, as it would anyway
        }
    }
}
