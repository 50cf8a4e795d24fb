package org.imgfn.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The one reader of settings from environment variables, for the classifier and the servers: a blank
 * variable takes the default, and a bad value fails with a message naming the variable and what it takes.
 */
public final class Environment {
    private final Map<String, String> env;

    public Environment(Map<String, String> env) {
        this.env = env;
    }

    public String string(String name, String fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    public Path path(String name, Path fallback) {
        String value = string(name, null);
        return value == null ? fallback : Path.of(value);
    }

    public boolean bool(String name, boolean fallback) {
        return parsed(name, fallback, value -> switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new IllegalArgumentException("true or false");
        });
    }

    /** A whole number of at least {@code min}. */
    public long integer(String name, long fallback, long min) {
        long value = parsed(name, fallback, text -> {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("a whole number", e);
            }
        });
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ": " + value);
        }
        return value;
    }

    /** A whole number of at least {@code min}, as an int. */
    public int count(String name, long fallback, int min) {
        long value = integer(name, fallback, min);
        if (value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " must be at most " + Integer.MAX_VALUE + ": " + value);
        }
        return (int) value;
    }

    /** A positive number of milliseconds. */
    public Duration millis(String name, long fallbackMillis) {
        return Duration.ofMillis(integer(name, fallbackMillis, 1));
    }

    /**
     * The variable read by {@code parse}, which throws IllegalArgumentException with what the variable takes
     * ("a whole number"), or the fallback when it is unset or blank.
     */
    public <T> T parsed(String name, T fallback, Function<String, T> parse) {
        String value = string(name, null);
        if (value == null) {
            return fallback;
        }
        try {
            return parse.apply(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " must be " + e.getMessage() + ": " + value, e);
        }
    }
}
