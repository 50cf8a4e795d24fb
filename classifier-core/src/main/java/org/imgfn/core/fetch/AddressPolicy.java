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
 * and IPv6 forms that embed such an IPv4 address are refused, each by a named rule. The unspecified
 * addresses ({@code 0.0.0.0}, {@code ::}) mean "this host", never an image server: they are refused
 * even on a trusted network ({@link #isThisHost}).
 */
public final class AddressPolicy {
    private static final List<Rule> BLOCKED = List.of(
            new Rule("0.0.0.0/8", "an unspecified (this-host)"),
            new Rule("10.0.0.0/8", "a private (RFC 1918)"),
            new Rule("100.64.0.0/10", "a carrier-grade NAT"),
            new Rule("127.0.0.0/8", "a loopback"),
            new Rule("169.254.0.0/16", "a link-local (cloud metadata)"),
            new Rule("172.16.0.0/12", "a private (RFC 1918)"),
            new Rule("192.0.0.0/24", "an IETF protocol"),
            new Rule("192.168.0.0/16", "a private (RFC 1918)"),
            new Rule("198.18.0.0/15", "a benchmarking"),
            new Rule("168.63.129.16/32", "Azure's host wire server"),
            new Rule("224.0.0.0/4", "a multicast"),
            new Rule("240.0.0.0/4", "a reserved or broadcast"),
            new Rule("::/128", "an unspecified (this-host)"),
            new Rule("::1/128", "a loopback"),
            new Rule("100::/64", "a discard-only"),
            new Rule("64:ff9b:1::/48", "a local-use NAT64"),
            new Rule("2001::/32", "a Teredo tunnel"),
            new Rule("fc00::/7", "a unique local (private)"),
            new Rule("fe80::/10", "a link-local"),
            new Rule("fec0::/10", "a site-local"),
            new Rule("ff00::/8", "a multicast"));
    private static final Cidr IPV4_COMPATIBLE = Cidr.parse("::/96");
    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");

    private AddressPolicy() {}

    /** True when a download may connect to {@code address}. */
    public static boolean isAllowed(InetAddress address) {
        return refusal(address).isEmpty();
    }

    /** The rule that refuses {@code address}, as words that fit "resolves to … address", or empty if none does. */
    public static Optional<String> refusal(InetAddress address) {
        if (!(address instanceof Inet4Address) && !(address instanceof Inet6Address)) {
            return Optional.of("an unknown kind of");
        }
        Optional<String> rule = BLOCKED.stream().filter(r -> r.block().contains(address)).map(Rule::name).findFirst();
        if (rule.isPresent() || !(address instanceof Inet6Address v6)) {
            return rule;
        }
        return embeddedIpv4(v6).flatMap(AddressPolicy::refusal).map(name -> "an IPv6 form of " + name);
    }

    /** True for the unspecified addresses, which mean "this host" (0.0.0.0/8, ::, and IPv6 forms of them). */
    public static boolean isThisHost(InetAddress address) {
        if (address.isAnyLocalAddress() || BLOCKED.get(0).block().contains(address)) {
            return true;
        }
        return address instanceof Inet6Address v6 && isMapped(v6.getAddress())
                && BLOCKED.get(0).block().contains(embeddedIpv4(v6).orElseThrow());
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
        if (isMapped(b) || IPV4_COMPATIBLE.contains(v6) || NAT64.contains(v6)) {
            return Optional.of(ipv4(b[12], b[13], b[14], b[15]));
        }
        if (SIX_TO_FOUR.contains(v6)) {
            return Optional.of(ipv4(b[2], b[3], b[4], b[5]));
        }
        return Optional.empty();
    }

    /** {@code ::ffff:a.b.c.d}; Java turns most of these into IPv4 addresses, but not every path does. */
    private static boolean isMapped(byte[] b) {
        return b.length == 16 && isZero(b, 0, 10) && (b[10] & 0xFF) == 0xFF && (b[11] & 0xFF) == 0xFF;
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

    /** An address block and the words that name it. */
    private record Rule(Cidr block, String name) {
        Rule(String cidr, String name) {
            this(Cidr.parse(cidr), name);
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
