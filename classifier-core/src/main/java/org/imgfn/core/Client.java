package org.imgfn.core;

/**
 * The client that asked for a classification, as far as the classifier cares: whether it has gone
 * (closed its connection). Its work is then dropped before the decoding and before the inference,
 * which nobody would see.
 */
@FunctionalInterface
public interface Client {
    /** For platforms that cannot tell: the client is taken to wait to the end. */
    Client WAITS = () -> false;

    boolean hasLeft();
}
