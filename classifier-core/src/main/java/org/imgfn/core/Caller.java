package org.imgfn.core;

/**
 * Whether the client that asked for a classification has gone (closed its connection): its work is
 * then dropped before the decoding and before the inference, which nobody would see.
 */
@FunctionalInterface
public interface Caller {
    /** For platforms that cannot tell: the caller is taken to wait to the end. */
    Caller WAITING = () -> false;

    boolean hasLeft();
}
