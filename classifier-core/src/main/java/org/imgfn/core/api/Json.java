package org.imgfn.core.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** The one Jackson mapper of the project: writes results and errors, reads request bodies as UTF-8. */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    /** Serialises {@code value} to UTF-8 JSON bytes. */
    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Serialises {@code value} to a JSON string. */
    public static String writeString(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes one sample answer, so that Jackson builds an answer's serializers now (while a model loads,
     * say), not for the first request.
     */
    public static void loadSerializers() {
        write(new Classification(List.of(new Prediction("label", 0, 1.0)), new Timings(0, 0, 0, 0),
                new ImageInfo("http://localhost/image.png", 0, 1, 1, "png"), new ModelInfo("model", "", "engine"),
                false, false));
    }

    /** Parses a JSON document from UTF-8 bytes; malformed JSON is the caller's {@code INVALID_REQUEST}. */
    public static JsonNode read(byte[] utf8) {
        try {
            return MAPPER.readTree(utf8);
        } catch (JsonProcessingException e) {
            throw new ClassifyException(ErrorCode.INVALID_REQUEST,
                    "the request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
