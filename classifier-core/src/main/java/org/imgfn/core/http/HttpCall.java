package org.imgfn.core.http;

import java.util.Map;

/**
 * A classification request as it arrived over HTTP, platform-neutral.
 *
 * @param method      the HTTP method, upper case
 * @param query       decoded query parameters (first value of each)
 * @param contentType the Content-Type header, or null
 * @param body        the raw body, empty for GET
 */
public record HttpCall(String method, Map<String, String> query, String contentType, byte[] body) {
    public HttpCall {
        query = Map.copyOf(query);
        body = body == null ? new byte[0] : body;
    }
}
