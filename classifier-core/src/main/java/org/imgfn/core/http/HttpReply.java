package org.imgfn.core.http;

import java.util.Map;
import org.imgfn.core.api.Classification;
import org.imgfn.core.api.Json;

/** An HTTP answer for a platform to send as it is: status, extra headers and a JSON body. */
public record HttpReply(int status, Map<String, String> headers, byte[] body) {
    public static final String CONTENT_TYPE = "application/json";

    public HttpReply {
        headers = Map.copyOf(headers);
    }

    public static HttpReply ok(byte[] json) {
        return new HttpReply(200, Map.of(), json);
    }

    /** A classification's answer, with its stages in a {@code Server-Timing} header. */
    public static HttpReply classified(Classification result) {
        return new HttpReply(200, Map.of("Server-Timing", result.serverTiming()), Json.write(result));
    }
}
