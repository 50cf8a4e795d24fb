package org.imgfn.core.cache;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** What a classification depends on: the image's bytes and the model, each by its SHA-256 (hex). */
public record ContentKey(String imageSha256, String modelSha256) {

    public static ContentKey of(byte[] image, String modelSha256) {
        try {
            return new ContentKey(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(image)),
                    modelSha256);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
