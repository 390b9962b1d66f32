package dev.alter.service.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CidrTest {
  private static byte[] ip(String s) {
    return Cidr.literal(s);
  }

  @Test
  void ipv4EdgesOfANetwork() {
    Cidr net = Cidr.parse("10.20.0.0/14");
    assertThat(net.contains(ip("10.20.0.0"))).isTrue();
    assertThat(net.contains(ip("10.23.255.255"))).isTrue();
    assertThat(net.contains(ip("10.24.0.0"))).isFalse();
    assertThat(net.contains(ip("10.19.255.255"))).isFalse();
    assertThat(Cidr.parse("192.0.2.7").contains(ip("192.0.2.7"))).isTrue();
    assertThat(Cidr.parse("192.0.2.7/32").contains(ip("192.0.2.8"))).isFalse();
    assertThat(Cidr.parse("0.0.0.0/0").contains(ip("203.0.113.9"))).isTrue();
    assertThat(Cidr.parse("0.0.0.0/0").contains(ip("2001:db8::1"))).isFalse();
  }

  @Test
  void ipv6EdgesOfANetwork() {
    Cidr net = Cidr.parse("2001:db8:abcd:0010::/60");
    assertThat(net.contains(ip("2001:db8:abcd:10::"))).isTrue();
    assertThat(net.contains(ip("2001:db8:abcd:1f:ffff:ffff:ffff:ffff"))).isTrue();
    assertThat(net.contains(ip("2001:db8:abcd:20::"))).isFalse();
    assertThat(net.contains(ip("2001:db8:abcd:f:ffff:ffff:ffff:ffff"))).isFalse();
    assertThat(Cidr.parse("::1/128").contains(ip("::1"))).isTrue();
    assertThat(Cidr.parse("::1").contains(ip("::2"))).isFalse();
    assertThat(Cidr.parse("::/0").contains(ip("fe80::1"))).isTrue();
    assertThat(Cidr.parse("::/0").contains(ip("127.0.0.1"))).isFalse();
    assertThat(net.toString()).isEqualTo("2001:db8:abcd:10:0:0:0:0/60");
  }

  @Test
  void ipv4MappedIpv6IsComparedAsIpv4() {
    assertThat(Cidr.parse("10.0.0.0/8").contains(ip("::ffff:10.1.2.3"))).isTrue();
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    mapped[12] = 10;
    mapped[15] = 1;
    assertThat(Cidr.parse("10.0.0.0/8").contains(mapped)).isTrue();
  }

  @Test
  void badNetworksAreRefusedWithoutLookingUpNames() {
    assertThatThrownBy(() -> Cidr.parse("10.0.0.1/8")).hasMessageContaining("bits set after");
    assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("larger than 32");
    assertThatThrownBy(() -> Cidr.parse("2001:db8::/129")).hasMessageContaining("larger than 128");
    assertThatThrownBy(() -> Cidr.parse("localhost")).hasMessageContaining("not an IPv4 or IPv6");
    assertThatThrownBy(() -> Cidr.parse("example.com/24")).hasMessageContaining("host names");
    assertThatThrownBy(() -> Cidr.parse("10.0.0/8")).hasMessageContaining("not an IPv4");
    assertThatThrownBy(() -> Cidr.parse("256.0.0.0/8")).hasMessageContaining("not an IPv4");
    assertThatThrownBy(() -> Cidr.parse("10.0.0.0/x")).hasMessageContaining("not a number");
    assertThatThrownBy(() -> Cidr.parse("")).hasMessageContaining("empty");
  }
}
