package dev.alter.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class DialledConnectionTest {

  @Test
  void aMarkHoldsForItsWriteOnlyAndRestoresTheOneItCovered() {
    Object outer = new Object();
    Object inner = new Object();
    assertThat(DialledConnection.current()).isNull();

    Object beforeOuter = DialledConnection.enter(outer);
    assertThat(DialledConnection.current()).isSameAs(outer);
    // a request written from inside another's write (e.g. a body that makes a call of its own)
    Object beforeInner = DialledConnection.enter(inner);
    assertThat(DialledConnection.current()).isSameAs(inner);
    DialledConnection.exit(beforeInner);
    assertThat(DialledConnection.current()).isSameAs(outer);
    DialledConnection.exit(beforeOuter);

    assertThat(beforeOuter).isNull();
    assertThat(DialledConnection.current()).isNull();
  }

  @Test
  void anotherThreadNeverSeesThisThreadsMark() throws Exception {
    Object previous = DialledConnection.enter(new Object());
    try {
      assertThat(CompletableFuture.supplyAsync(DialledConnection::current).get()).isNull();
    } finally {
      DialledConnection.exit(previous);
    }
    assertThat(DialledConnection.current()).isNull();
  }
}
