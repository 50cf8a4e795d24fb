package org.imgfn.core.memory;

/** Where decoding asks for the memory an image's pixels will take, before any of them is allocated. */
public interface PixelMemory {
    /** Sets {@code bytes} aside; false when they are not free now. */
    boolean reserve(long bytes);

    /** The most that could ever be set aside: an image that needs more can never be decoded here. */
    long capacity();

    /** No limit, for tools and tests that decode one image at a time. */
    PixelMemory UNLIMITED = new PixelMemory() {
        @Override
        public boolean reserve(long bytes) {
            return true;
        }

        @Override
        public long capacity() {
            return Long.MAX_VALUE;
        }
    };
}
