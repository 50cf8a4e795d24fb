package org.imgfn.core.http;

import java.util.Map;
import org.imgfn.core.Client;

/**
 * A classification request as it arrived over HTTP, platform-neutral.
 *
 * @param method      the HTTP method, upper case
 * @param query       decoded query parameters (first value of each)
 * @param contentType the Content-Type header, or null
 * @param body        the raw body, empty for GET
 * @param client      whether the client is still there, for platforms that can tell
 */
public record HttpCall(String method, Map<String, String> query, String contentType, byte[] body, Client client) {
    public HttpCall {
        query = Map.copyOf(query);
        body = body == null ? new byte[0] : body;
    }

    /** A call whose client is taken to wait to the end. */
    public HttpCall(String method, Map<String, String> query, String contentType, byte[] body) {
        this(method, query, contentType, body, Client.WAITS);
    }
}
