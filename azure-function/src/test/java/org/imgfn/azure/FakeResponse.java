package org.imgfn.azure;

import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatusType;
import java.util.HashMap;
import java.util.Map;

/** The response the Functions runtime would build: a builder and the message it builds. */
final class FakeResponse implements HttpResponseMessage.Builder, HttpResponseMessage {
    private final Map<String, String> headers = new HashMap<>();
    private HttpStatusType status;
    private Object body;

    FakeResponse(HttpStatusType status) {
        this.status = status;
    }

    @Override
    public HttpResponseMessage.Builder status(HttpStatusType newStatus) {
        this.status = newStatus;
        return this;
    }

    @Override
    public HttpResponseMessage.Builder header(String key, String value) {
        headers.put(key, value);
        return this;
    }

    @Override
    public HttpResponseMessage.Builder body(Object newBody) {
        this.body = newBody;
        return this;
    }

    @Override
    public HttpResponseMessage build() {
        return this;
    }

    @Override
    public HttpStatusType getStatus() {
        return status;
    }

    @Override
    public String getHeader(String key) {
        return headers.get(key);
    }

    @Override
    public Object getBody() {
        return body;
    }
}
