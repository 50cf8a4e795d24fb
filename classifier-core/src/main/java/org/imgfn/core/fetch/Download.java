package org.imgfn.core.fetch;

/**
 * A downloaded image body and its share of the {@link ByteBudget}: close it once the bytes have been
 * decoded.
 */
public record Download(byte[] bytes, ByteBudget.Reservation reservation) implements AutoCloseable {
    @Override
    public void close() {
        reservation.close();
    }
}
