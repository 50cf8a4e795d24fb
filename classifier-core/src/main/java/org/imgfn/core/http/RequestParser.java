package org.imgfn.core.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import org.imgfn.core.api.ClassifyException;
import org.imgfn.core.api.ClassifyRequest;
import org.imgfn.core.api.ErrorCode;
import org.imgfn.core.api.Json;

/**
 * Turns the three accepted forms into a {@link ClassifyRequest}: {@code GET ?url=&top=}, {@code POST}
 * of JSON {@code {"url", "top"}}, and {@code POST} of raw image bytes ({@code image/*} or
 * {@code application/octet-stream}, with {@code top} in the query).
 */
final class RequestParser {
    private RequestParser() {}

    static ClassifyRequest parse(HttpCall call) {
        return switch (call.method()) {
            case "GET" -> new ClassifyRequest.FromUrl(ClassifyRequest.parseUrl(call.query().get("url")), ClassifyRequest.parseTop(call.query().get("top")));
            case "POST" -> parsePost(call);
            default -> throw new ClassifyException(ErrorCode.METHOD_NOT_ALLOWED,
                    call.method() + " is not supported: use GET ?url=... or POST");
        };
    }

    private static ClassifyRequest parsePost(HttpCall call) {
        String type = mediaType(call.contentType());
        if (call.body().length == 0) {
            throw new ClassifyException(ErrorCode.INVALID_REQUEST,
                    "the POST body is empty: send JSON {\"url\": \"...\"} or the image bytes");
        }
        if (type.equals("application/json") || type.endsWith("+json")) {
            return fromJson(Json.read(call.body()));
        }
        if (type.startsWith("image/") || type.equals("application/octet-stream")) {
            return new ClassifyRequest.FromBytes(call.body(), ClassifyRequest.parseTop(call.query().get("top")));
        }
        throw new ClassifyException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Content-Type '" + call.contentType()
                + "' is not accepted: POST application/json {\"url\": \"...\"}, or image bytes as image/* or"
                + " application/octet-stream");
    }

    private static ClassifyRequest fromJson(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new ClassifyException(ErrorCode.INVALID_REQUEST, "the JSON body must be an object like {\"url\": \"...\"}");
        }
        JsonNode url = json.get("url");
        if (url != null && !url.isTextual()) {
            throw new ClassifyException(ErrorCode.INVALID_REQUEST, "\"url\" must be a string");
        }
        JsonNode top = json.get("top");
        // Only a JSON integer is a top; anything else (a string, 2.5) is refused by its JSON text.
        int k = top == null || top.isNull() ? ClassifyRequest.DEFAULT_TOP
                : ClassifyRequest.parseTop(top.isIntegralNumber() ? top.asText() : top.toString());
        return new ClassifyRequest.FromUrl(ClassifyRequest.parseUrl(url == null ? null : url.textValue()), k);
    }

    private static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }
}
