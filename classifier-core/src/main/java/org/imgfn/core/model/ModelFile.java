package org.imgfn.core.model;

import java.nio.ByteBuffer;
import org.imgfn.core.api.ModelInfo;

/**
 * A model's bytes and what is known of it: its name, digest, the engine that runs it, and the largest
 * batch it accepts (0 when unknown, to be found by probing). The bytes lie outside the Java heap (read
 * into a direct buffer, or a file mapped), where ONNX Runtime reads them without a copy.
 */
public record ModelFile(String name, ByteBuffer bytes, String sha256, InferenceEngine engine, int knownMaxBatch) {
    public ModelFile {
        bytes = bytes.asReadOnlyBuffer();
    }

    public ModelInfo info() {
        return new ModelInfo(name, sha256, engine.djlName());
    }

    /** A copy of the bytes on the heap, for an engine that reads a stream. */
    public byte[] toArray() {
        byte[] array = new byte[bytes.remaining()];
        bytes.duplicate().get(array);
        return array;
    }
}
