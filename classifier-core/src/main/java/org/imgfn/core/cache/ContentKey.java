package org.imgfn.core.cache;

import org.imgfn.core.Sha256;

/** What a classification depends on: the image's bytes and the model, each by its SHA-256 (hex). */
public record ContentKey(String imageSha256, String modelSha256) {

    public static ContentKey of(byte[] image, String modelSha256) {
        return new ContentKey(Sha256.hex(image), modelSha256);
    }
}
