package org.imgfn.core.fetch;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * The SSRF guard's address check: which resolved addresses an image download may connect to.
 * Loopback, private, link-local (cloud metadata included), CGNAT, unspecified, multicast, reserved
 * and IPv6 forms that embed such an IPv4 address are refused.
 */
public final class AddressPolicy {
    private static final List<Cidr> BLOCKED_V4 = List.of(
            Cidr.parse("0.0.0.0/8"),          // "this network", unspecified
            Cidr.parse("10.0.0.0/8"),         // RFC 1918
            Cidr.parse("100.64.0.0/10"),      // CGNAT
            Cidr.parse("127.0.0.0/8"),        // loopback
            Cidr.parse("169.254.0.0/16"),     // link-local, incl. 169.254.169.254 metadata
            Cidr.parse("172.16.0.0/12"),      // RFC 1918
            Cidr.parse("192.0.0.0/24"),       // IETF protocol assignments
            Cidr.parse("192.168.0.0/16"),     // RFC 1918
            Cidr.parse("198.18.0.0/15"),      // benchmarking
            Cidr.parse("168.63.129.16/32"),   // Azure's host wire server, reachable from every Azure VM
            Cidr.parse("224.0.0.0/4"),        // multicast
            Cidr.parse("240.0.0.0/4"));       // reserved, broadcast
    private static final List<Cidr> BLOCKED_V6 = List.of(
            Cidr.parse("::/128"),             // unspecified
            Cidr.parse("::1/128"),            // loopback
            Cidr.parse("fc00::/7"),           // unique local
            Cidr.parse("fe80::/10"),          // link-local
            Cidr.parse("fec0::/10"),          // site-local (deprecated)
            Cidr.parse("ff00::/8"));          // multicast
    private static final Cidr IPV4_COMPATIBLE = Cidr.parse("::/96");
    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");

    private AddressPolicy() {}

    /** True when a download may connect to {@code address}. */
    public static boolean isAllowed(InetAddress address) {
        if (address instanceof Inet4Address) {
            return BLOCKED_V4.stream().noneMatch(c -> c.contains(address));
        }
        if (address instanceof Inet6Address v6) {
            if (BLOCKED_V6.stream().anyMatch(c -> c.contains(v6))) {
                return false;
            }
            return embeddedIpv4(v6).map(AddressPolicy::isAllowed).orElse(true);
        }
        return false;
    }

    /**
     * The address a host written as a number denotes, in any spelling that C's {@code inet_aton} accepts
     * (decimal, octal with a leading 0, hex with 0x, one to four parts), or empty for a host name.
     * Such spellings are how SSRF filters are usually slipped past.
     */
    public static Optional<InetAddress> numericIpv4(String host) {
        String[] parts = host.split("\\.", -1);
        if (parts.length > 4) {
            return Optional.empty();
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            Long value = parseInetAtonPart(parts[i]);
            if (value == null) {
                return Optional.empty();
            }
            values[i] = value;
        }
        long address = 0;
        int last = values.length - 1;
        for (int i = 0; i < last; i++) {
            if (values[i] > 0xFF) {
                return Optional.empty();
            }
            address |= values[i] << (24 - 8 * i);
        }
        long lastMax = (1L << (8 * (4 - last))) - 1;
        if (values[last] > lastMax) {
            return Optional.empty();
        }
        address |= values[last];
        byte[] bytes = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
        try {
            return Optional.of(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an address", e);
        }
    }

    private static Long parseInetAtonPart(String part) {
        try {
            if (part.matches("0[xX][0-9a-fA-F]+")) {
                return Long.parseLong(part.substring(2), 16);
            }
            if (part.matches("0[0-7]+")) {
                return Long.parseLong(part.substring(1), 8);
            }
            if (part.matches("0|[1-9][0-9]*")) {
                return Long.parseLong(part);
            }
        } catch (NumberFormatException tooLong) {
            return null;
        }
        return null;
    }

    private static Optional<InetAddress> embeddedIpv4(Inet6Address v6) {
        byte[] b = v6.getAddress();
        boolean mapped = isZero(b, 0, 10) && (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF;
        if (mapped || IPV4_COMPATIBLE.contains(v6) || NAT64.contains(v6)) {
            return Optional.of(ipv4(b[12], b[13], b[14], b[15]));
        }
        if (SIX_TO_FOUR.contains(v6)) {
            return Optional.of(ipv4(b[2], b[3], b[4], b[5]));
        }
        return Optional.empty();
    }

    private static boolean isZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static InetAddress ipv4(byte a, byte b, byte c, byte d) {
        try {
            return InetAddress.getByAddress(new byte[] {a, b, c, d});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an address", e);
        }
    }

    /** An address block written as {@code address/prefix}. */
    private record Cidr(byte[] network, int prefix) {
        static Cidr parse(String cidr) {
            String[] parts = cidr.split("/");
            try {
                return new Cidr(InetAddress.getByName(parts[0]).getAddress(), Integer.parseInt(parts[1]));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not an address literal: " + cidr, e);
            }
        }

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != network.length) {
                return false;
            }
            int fullBytes = prefix / 8;
            for (int i = 0; i < fullBytes; i++) {
                if (bytes[i] != network[i]) {
                    return false;
                }
            }
            int remainingBits = prefix % 8;
            if (remainingBits == 0) {
                return true;
            }
            int mask = (0xFF << (8 - remainingBits)) & 0xFF;
            return (bytes[fullBytes] & mask) == (network[fullBytes] & mask);
        }
    }
}
