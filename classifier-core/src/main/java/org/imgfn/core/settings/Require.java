package org.imgfn.core.settings;

/** The checks that settings records make of their values. */
public final class Require {
    private Require() {}

    public static void positive(String what, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be positive: " + value);
        }
    }

    public static void notNegative(String what, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(what + " must be 0 or more: " + value);
        }
    }
}
