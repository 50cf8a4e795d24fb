package org.imgfn.core.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The address check as a unit: literals only, no socket is opened and no name is looked up. */
class AddressPolicyTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "127.0.0.1", "127.255.255.254", "10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.255",
        "192.168.1.1", "169.254.169.254", "169.254.0.1", "100.64.0.1", "100.127.255.255", "0.0.0.0",
        "224.0.0.1", "239.255.255.250", "255.255.255.255", "240.0.0.1", "198.18.0.1", "192.0.0.170",
        "168.63.129.16",
        "::", "::1", "fc00::1", "fd00:ec2::254", "fe80::1", "febf::1", "fec0::1", "ff02::1",
        "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:10.0.0.1", "::127.0.0.1", "::10.0.0.1",
        "64:ff9b::a9fe:a9fe", "2002:a9fe:a9fe::1", "2002:7f00:1::",
        "64:ff9b:1::a00:1", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "100::1"
    })
    void refusesInternalAddresses(String literal) {
        assertThat(AddressPolicy.isAllowed(address(literal))).as(literal).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"127.0.0.1, a loopback", "10.1.2.3, a private (RFC 1918)", "169.254.169.254, a link-local (cloud metadata)",
        "64:ff9b::c0a8:1, an IPv6 form of a private (RFC 1918)", "2001:0:1::1, a Teredo tunnel", "0.0.0.0, an unspecified (this-host)"})
    void namesTheRuleThatRefuses(String literal, String rule) {
        assertThat(AddressPolicy.refusal(address(literal))).contains(rule);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "0.1.2.3", "::", "::ffff:0.0.0.0"})
    void knowsTheAddressesThatMeanThisHost(String literal) {
        assertThat(AddressPolicy.isThisHost(address(literal))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "10.0.0.1", "::1", "8.8.8.8"})
    void otherAddressesAreNotThisHost(String literal) {
        assertThat(AddressPolicy.isThisHost(address(literal))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "93.184.215.14", "8.8.8.8", "1.1.1.1", "172.15.255.255", "172.32.0.1", "100.63.255.255", "100.128.0.1",
        "169.253.255.255", "11.0.0.1", "2606:4700::1111", "2001:db8::1", "::ffff:8.8.8.8", "64:ff9b::808:808",
        "2002:808:808::1"
    })
    void allowsPublicAddresses(String literal) {
        assertThat(AddressPolicy.isAllowed(address(literal))).as(literal).isTrue();
    }

    @Test
    void refusesIpv4MappedAddressGivenAsSixteenBytes() throws UnknownHostException {
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        mapped[12] = (byte) 169;
        mapped[13] = (byte) 254;
        mapped[14] = (byte) 169;
        mapped[15] = (byte) 254;

        assertThat(AddressPolicy.isAllowed(java.net.Inet6Address.getByAddress(null, mapped, null))).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
        "2130706433, 127.0.0.1",
        "0x7f000001, 127.0.0.1",
        "0x7F.1, 127.0.0.1",
        "017700000001, 127.0.0.1",
        "0177.0.0.1, 127.0.0.1",
        "127.1, 127.0.0.1",
        "127.0.1, 127.0.0.1",
        "2852039166, 169.254.169.254",
        "0xa9.0xfe.0xa9.0xfe, 169.254.169.254",
        "0251.0376.0251.0376, 169.254.169.254",
        "10.0.0.1, 10.0.0.1",
        "0, 0.0.0.0"
    })
    void readsEveryInetAtonSpellingOfAnIpv4Address(String spelling, String canonical) {
        assertThat(AddressPolicy.numericIpv4(spelling)).hasValueSatisfying(
                a -> assertThat(a.getHostAddress()).isEqualTo(canonical));
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.org", "1.2.3.4.5", "256.1.1.1", "0x1g", "08.1.1.1", "4294967296", "a.b", ""})
    void treatsNamesAndImpossibleNumbersAsNames(String host) {
        assertThat(AddressPolicy.numericIpv4(host)).isEmpty();
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError("not a literal: " + literal, e);
        }
    }
}
