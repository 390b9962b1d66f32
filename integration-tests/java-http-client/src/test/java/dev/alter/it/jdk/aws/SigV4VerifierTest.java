package dev.alter.it.jdk.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alter.it.harness.SigV4Verifier;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The independent SigV4 computation the AWS signing tests trust, checked against signatures AWS
 * publishes (the Signature Version 4 test suite and the S3 API reference's GET Object example).
 */
class SigV4VerifierTest {
  private static final String EMPTY_SHA256 =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  @Test
  void matchesTheTestSuitesGetVanilla() {
    SigV4Verifier verifier =
        new SigV4Verifier(
            "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "us-east-1", "service");
    Map<String, List<String>> headers =
        Map.of("host", List.of("example.amazonaws.com"), "x-amz-date", List.of("20150830T123600Z"));

    String signature =
        verifier.signature(
            "GET",
            "/",
            name -> headers.getOrDefault(name, List.of()),
            List.of("host", "x-amz-date"),
            EMPTY_SHA256,
            "20150830T123600Z");

    assertThat(signature)
        .isEqualTo("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
  }

  @Test
  void sortsQueryParametersAsTheTestSuiteDoes() {
    SigV4Verifier verifier =
        new SigV4Verifier(
            "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "us-east-1", "service");
    Map<String, List<String>> headers =
        Map.of("host", List.of("example.amazonaws.com"), "x-amz-date", List.of("20150830T123600Z"));

    String signature =
        verifier.signature(
            "GET",
            "/?Param2=value2&Param1=value1",
            name -> headers.getOrDefault(name, List.of()),
            List.of("host", "x-amz-date"),
            EMPTY_SHA256,
            "20150830T123600Z");

    assertThat(signature)
        .isEqualTo("b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
  }

  @Test
  void matchesTheS3GetObjectExample() {
    SigV4Verifier verifier =
        new SigV4Verifier(
            "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "us-east-1", "s3");
    Map<String, List<String>> headers =
        Map.of(
            "host",
            List.of("examplebucket.s3.amazonaws.com"),
            "range",
            List.of("bytes=0-9"),
            "x-amz-content-sha256",
            List.of(EMPTY_SHA256),
            "x-amz-date",
            List.of("20130524T000000Z"));

    String signature =
        verifier.signature(
            "GET",
            "/test.txt",
            name -> headers.getOrDefault(name, List.of()),
            List.of("host", "range", "x-amz-content-sha256", "x-amz-date"),
            EMPTY_SHA256,
            "20130524T000000Z");

    assertThat(signature)
        .isEqualTo("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  }
}
