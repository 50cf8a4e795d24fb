package org.imgfn.core.fetch;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.Supplier;

/**
 * Collects a response body into memory, refusing it at once when its declared length is over the cap
 * and cancelling the download as soon as the bytes received pass the cap, or as soon as they do not fit
 * the {@link ByteBudget} reservation.
 */
final class CappedBodySubscriber implements HttpResponse.BodySubscriber<byte[]> {
    private final long cap;
    private final long declaredLength;
    private final Supplier<RuntimeException> tooLarge;
    private final ByteBudget.Reservation reservation;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private Flow.Subscription subscription;
    private long received;

    CappedBodySubscriber(long cap, long declaredLength, Supplier<RuntimeException> tooLarge,
            ByteBudget.Reservation reservation) {
        this.cap = cap;
        this.declaredLength = declaredLength;
        this.tooLarge = tooLarge;
        this.reservation = reservation;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (declaredLength > cap) {
            s.cancel();
            result.completeExceptionally(tooLarge.get());
            return;
        }
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer buffer : buffers) {
            received += buffer.remaining();
            if (received > cap) {
                subscription.cancel();
                result.completeExceptionally(tooLarge.get());
                return;
            }
            if (!reservation.grow(buffer.remaining())) {
                subscription.cancel();
                result.completeExceptionally(ImageFetcher.overBudget());
                return;
            }
            byte[] chunk = new byte[buffer.remaining()];
            buffer.get(chunk);
            out.write(chunk, 0, chunk.length);
        }
    }

    @Override
    public void onError(Throwable error) {
        result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        result.complete(out.toByteArray());
    }
}
