package org.imgfn.core.fetch;

import java.net.URI;
import org.imgfn.core.memory.ByteBudget;

/**
 * What a fetch got from the image server: the body of its final answer and the body's share of the
 * {@link ByteBudget} (close it once the bytes have been decoded), or, when the server confirmed the version
 * the fetch named, no body ({@link #notModified()}).
 *
 * @param source     the URL that answered, after redirects
 * @param bytes      the (decompressed) body, or null when not modified
 * @param validators what identifies this version for the next fetch of {@code source}
 * @param storable   false when the server forbade keeping anything of the answer ({@code Cache-Control: no-store})
 */
public record Download(URI source, byte[] bytes, Validators validators, boolean storable,
        ByteBudget.Reservation reservation) implements AutoCloseable {

    public boolean notModified() {
        return bytes == null;
    }

    @Override
    public void close() {
        reservation.close();
    }
}
