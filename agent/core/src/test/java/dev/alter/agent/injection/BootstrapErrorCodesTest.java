package dev.alter.agent.injection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.contract.ErrorCode;
import org.junit.jupiter.api.Test;

/** The bootstrap's own copies of error codes are the contract's wire forms. */
class BootstrapErrorCodesTest {
  @Test
  void everyBootstrapCodeIsTheContractsWireForm() {
    assertThat(AlterCredentialException.POLICY_VIOLATION)
        .isEqualTo(ErrorCode.POLICY_VIOLATION.code());
    assertThat(AlterCredentialException.RESOLVER_UNAVAILABLE)
        .isEqualTo(ErrorCode.RESOLVER_UNAVAILABLE.code());
    assertThat(AlterCredentialException.HOST_NOT_ALLOWED)
        .isEqualTo(ErrorCode.HOST_NOT_ALLOWED.code());
    assertThat(AlterCredentialException.INTERNAL_ERROR).isEqualTo(ErrorCode.INTERNAL_ERROR.code());
    assertThat(dev.alter.agent.bootstrap.AlterUserSecretException.MALFORMED_CREDENTIAL)
        .isEqualTo(ErrorCode.MALFORMED_CREDENTIAL.code());
    assertThat(AlterCredentialException.CLIENT_NOT_SUPPORTED)
        .isEqualTo(ErrorCode.CLIENT_NOT_SUPPORTED.code());
  }
}
