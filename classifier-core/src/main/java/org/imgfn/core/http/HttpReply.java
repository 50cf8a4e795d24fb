package org.imgfn.core.http;

import java.util.Map;
import org.imgfn.core.api.Timings;

/**
 * An HTTP answer for a platform to send as it is: status, extra headers and a JSON body, plus, for
 * logs and metrics, the error code of a refusal or the timings of a classification (the other null).
 */
public record HttpReply(int status, Map<String, String> headers, byte[] body, String errorCode, Timings timings) {
    public static final String CONTENT_TYPE = "application/json";

    public HttpReply {
        headers = Map.copyOf(headers);
    }

    public static HttpReply ok(byte[] json, Timings timings) {
        return new HttpReply(200, Map.of(), json, null, timings);
    }
}
