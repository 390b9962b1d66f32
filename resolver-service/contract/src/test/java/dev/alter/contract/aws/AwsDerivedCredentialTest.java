package dev.alter.contract.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alter.contract.CredentialPayload;
import org.junit.jupiter.api.Test;

class AwsDerivedCredentialTest {
  @Test
  void thePayloadSurvivesEncodingAndCarriesNoSecretAccessKey() {
    AwsScope scope = new AwsScope("20261128", "eu-west-1", "s3");
    byte[] key = AwsSigningKey.derive("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", scope);
    CredentialPayload payload =
        new AwsDerivedCredential("AKIDEXAMPLE", key, scope, "session", 1_900_000_000L).toPayload();

    AwsDerivedCredential back =
        AwsDerivedCredential.fromPayload(CredentialPayload.decode(payload.encode()));

    assertThat(payload.primary()).isEqualTo("AKIDEXAMPLE");
    assertThat(back.accessKeyId()).isEqualTo("AKIDEXAMPLE");
    assertThat(back.signingKey()).isEqualTo(key);
    assertThat(back.scope()).isEqualTo(scope);
    assertThat(back.sessionToken()).isEqualTo("session");
    assertThat(back.sessionExpiresAtEpochSeconds()).isEqualTo(1_900_000_000L);
    assertThat(payload.parts().values()).noneMatch(v -> v.contains("wJalrXUtnFEMI"));
  }
}
