package dev.alter.contract.proof;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPublicKey;
import org.junit.jupiter.api.Test;

class RequestSigningTest {
  private static final byte[] BODY = "{}".getBytes(StandardCharsets.UTF_8);
  private static final String NONCE = "AAAAAAAAAAAAAAAAAAAAAA";
  private static final long TS = 1_796_000_000L;

  /**
   * A signature made once by the JDK over {@link #canonicalVector()}; ECDSA signatures are
   * randomised.
   */
  private static final String SIGNATURE_VECTOR =
      "MEQCIDIgFv-D04c9Z_w-HG1MBZvNAy7nWLCgYQaPEw-UgukDAiAdn440riI7GXGxXflCuO5WreqLoN_zieOvFvTlK2yXeA";

  @Test
  void canonicalStringIsPinned() {
    assertThat(canonicalVector())
        .isEqualTo(
            "alter-signature-v1\nPOST\n/v1/resolve\n127.0.0.1:8443\n1796000000\n"
                + NONCE
                + "\n44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
  }

  @Test
  void thePinnedSignatureVerifiesUnderThePinnedPublicKey() throws Exception {
    ECPublicKey publicKey = ProofKey.publicKeyFromHex(ProofKeyTest.PUBLIC_KEY);
    assertThat(RequestSigning.verify(publicKey, canonicalVector(), SIGNATURE_VECTOR)).isTrue();
    assertThat(
            RequestSigning.verify(
                publicKey, canonicalVector().replace("1796000000", "1796000001"), SIGNATURE_VECTOR))
        .isFalse();
  }

  @Test
  void aSignedHeaderVerifiesAndBindsEveryPart() throws Exception {
    ProofKey key = ProofKey.fromKey(ProofKeyTest.KEY);
    URI uri = URI.create("https://127.0.0.1:8443/v1/resolve");
    SignatureHeader header = RequestSigning.sign(key, null, "POST", uri, BODY, TS, NONCE);
    SignatureHeader parsed = SignatureHeader.parse(header.format());
    assertThat(parsed.keyId()).isEqualTo(ProofKeyTest.KEY_ID);
    assertThat(parsed.agentKeyId()).isNull();
    ECPublicKey publicKey = ProofKey.publicKeyFromHex(ProofKeyTest.PUBLIC_KEY);
    assertThat(RequestSigning.verify(publicKey, canonicalVector(), parsed.signature())).isTrue();
    String[] altered = {
      RequestSigning.canonical("GET", "/v1/resolve", "127.0.0.1:8443", TS, NONCE, BODY),
      RequestSigning.canonical("POST", "/v1/apps", "127.0.0.1:8443", TS, NONCE, BODY),
      RequestSigning.canonical("POST", "/v1/resolve", "127.0.0.1:9443", TS, NONCE, BODY),
      RequestSigning.canonical("POST", "/v1/resolve", "127.0.0.1:8443", TS + 1, NONCE, BODY),
      RequestSigning.canonical(
          "POST", "/v1/resolve", "127.0.0.1:8443", TS, "BAAAAAAAAAAAAAAAAAAAAA", BODY),
      RequestSigning.canonical(
          "POST",
          "/v1/resolve",
          "127.0.0.1:8443",
          TS,
          NONCE,
          "{ }".getBytes(StandardCharsets.UTF_8))
    };
    for (String canonical : altered) {
      assertThat(RequestSigning.verify(publicKey, canonical, parsed.signature()))
          .as(canonical)
          .isFalse();
    }
  }

  @Test
  void anAgentTokenSignsTheSameString() throws Exception {
    ProofKey app = ProofKey.fromKey(ProofKeyTest.KEY);
    ProofKey agent = ProofKey.fromKey("alter_key_agent_" + "B".repeat(43));
    SignatureHeader header =
        SignatureHeader.parse(
            RequestSigning.sign(
                    app,
                    agent,
                    "POST",
                    URI.create("https://127.0.0.1:8443/v1/resolve"),
                    BODY,
                    TS,
                    NONCE)
                .format());
    assertThat(header.agentKeyId()).isEqualTo(agent.keyId());
    ECPublicKey agentPublic =
        ProofKey.publicKeyFromHex(
            "040cb7680f3816cd9787e03c2ffed86a73bee0c1b8271fe67d35693aa978d32c13dfcb2dbb1b04c5b1ba8c9ec11cf4b5159bb2e27cf483c4ceac0f2132d9b6778a");
    assertThat(RequestSigning.verify(agentPublic, canonicalVector(), header.agentSignature()))
        .isTrue();
    assertThat(RequestSigning.verify(agentPublic, canonicalVector(), header.signature())).isFalse();
  }

  @Test
  void authorityIsTheHostHeaderTheJdkClientSends() {
    assertThat(RequestSigning.authority(URI.create("https://alter.internal/v1/resolve")))
        .isEqualTo("alter.internal");
    assertThat(RequestSigning.authority(URI.create("https://alter.internal:443/v1/resolve")))
        .isEqualTo("alter.internal");
    assertThat(RequestSigning.authority(URI.create("http://alter.internal:80/v1/resolve")))
        .isEqualTo("alter.internal");
    assertThat(RequestSigning.authority(URI.create("http://alter.internal:443/v1/resolve")))
        .isEqualTo("alter.internal:443");
    assertThat(RequestSigning.authority(URI.create("https://127.0.0.1:8443/v1/resolve")))
        .isEqualTo("127.0.0.1:8443");
  }

  @Test
  void garbageSignaturesAreFalseNotExceptions() throws Exception {
    ECPublicKey publicKey = ProofKey.publicKeyFromHex(ProofKeyTest.PUBLIC_KEY);
    assertThat(RequestSigning.verify(publicKey, canonicalVector(), "not base64!")).isFalse();
    assertThat(RequestSigning.verify(publicKey, canonicalVector(), "AAAAAAAAAAAA")).isFalse();
  }

  @Test
  void noncesAreFreshAndWellFormed() {
    String a = RequestSigning.newNonce();
    assertThat(a).matches("[A-Za-z0-9_-]{22}").isNotEqualTo(RequestSigning.newNonce());
  }

  private static String canonicalVector() {
    return RequestSigning.canonical("POST", "/v1/resolve", "127.0.0.1:8443", TS, NONCE, BODY);
  }
}
