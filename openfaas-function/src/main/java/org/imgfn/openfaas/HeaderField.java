package org.imgfn.openfaas;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One header or trailer field as RFC 9112 §5 writes it: a token, a colon right after it, and a value
 * whose surrounding spaces and tabs (only those) are not part of it. A value may not hold control
 * characters other than the tab: a NUL or a stray CR in a field is a malformed request.
 *
 * @param name  lower-case
 */
record HeaderField(String name, String value) {
    static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    static HeaderField parse(String line) {
        int colon = line.indexOf(':');
        if (colon <= 0 || !TOKEN.matcher(line.substring(0, colon)).matches()) {
            throw RequestHead.invalid("a header field is malformed (a name, then a colon)");
        }
        String value = withoutBlanks(line.substring(colon + 1));
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                throw RequestHead.invalid("a header field's value holds a control character");
            }
        }
        return new HeaderField(line.substring(0, colon).toLowerCase(Locale.ROOT), value);
    }

    /** {@code text} without the spaces and tabs around it (where {@code String.trim} drops every control character). */
    static String withoutBlanks(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isBlank(text.charAt(start))) {
            start++;
        }
        while (end > start && isBlank(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(start, end);
    }

    /** The optional whitespace of HTTP: space and horizontal tab, nothing else. */
    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }
}
