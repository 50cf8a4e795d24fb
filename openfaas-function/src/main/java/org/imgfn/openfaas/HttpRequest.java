package org.imgfn.openfaas;

import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import org.imgfn.core.Client;

/**
 * A request as the server read it: its head, and its body as a stream of exactly the body's bytes
 * (de-chunked), read under the body deadline.
 *
 * @param headers        by lower-case name; repeated headers joined with ", "
 * @param declaredLength the {@code Content-Length}, or -1 when the body is chunked or absent
 * @param client         whether the client is still connected, asked on the request's own thread
 */
record HttpRequest(String method, String path, String rawQuery, Map<String, String> headers, InputStream body,
        long declaredLength, Client client) {

    /** The value of header {@code name} (any case), or null. */
    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }
}
