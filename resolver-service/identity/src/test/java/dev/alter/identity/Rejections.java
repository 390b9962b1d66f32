package dev.alter.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Asserts a rejection's reason, and that nothing it prints contains the token or a part of it. */
final class Rejections {
  private Rejections() {}

  static IdentityRejected assertRejected(
      ThrowingCallable call, String token, RejectionReason reason) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).as("rejection").isInstanceOf(IdentityRejected.class);
    IdentityRejected rejected = (IdentityRejected) thrown;
    assertThat(rejected.reason()).isEqualTo(reason);
    assertThat(rejected.errorCode().code()).isEqualTo("identity_invalid");
    assertTokenNotIn(rejected, token);
    return rejected;
  }

  /** The message, toString and whole stack trace (causes included) never quote the token. */
  static void assertTokenNotIn(Throwable thrown, String token) {
    StringWriter trace = new StringWriter();
    thrown.printStackTrace(new PrintWriter(trace));
    String printed = thrown.getMessage() + "\n" + thrown + "\n" + trace;
    if (token.length() >= 8) {
      assertThat(printed).doesNotContain(token);
    }
    for (String part : token.split("\\.")) {
      if (part.length() >= 8) {
        assertThat(printed).doesNotContain(part);
      }
    }
  }
}
