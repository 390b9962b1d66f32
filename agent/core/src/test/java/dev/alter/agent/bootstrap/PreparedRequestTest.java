package dev.alter.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PreparedRequestTest {
  @Test
  void aReplacementIsSeenForItsOriginalOnlyAndGoneOnExit() {
    Object original = new Object();
    Object replacement = new Object();

    Object token = PreparedRequest.enter(original, replacement);

    assertThat(PreparedRequest.replacementFor(original)).isSameAs(replacement);
    assertThat(PreparedRequest.replacementFor(new Object())).isNull();
    assertThat(PreparedRequest.replacementFor(null)).isNull();
    PreparedRequest.exit(token);
    assertThat(PreparedRequest.replacementFor(original)).isNull();
  }

  @Test
  void aNestedWriteRestoresTheOuterOne() {
    Object outer = new Object();
    Object outerCopy = new Object();
    Object inner = new Object();
    Object innerCopy = new Object();

    Object outerToken = PreparedRequest.enter(outer, outerCopy);
    Object innerToken = PreparedRequest.enter(inner, innerCopy);
    assertThat(PreparedRequest.replacementFor(inner)).isSameAs(innerCopy);
    assertThat(PreparedRequest.replacementFor(outer)).isNull();
    PreparedRequest.exit(innerToken);

    assertThat(PreparedRequest.replacementFor(outer)).isSameAs(outerCopy);
    PreparedRequest.exit(outerToken);
    assertThat(PreparedRequest.replacementFor(outer)).isNull();
  }

  @Test
  void anotherThreadSeesNothingMarkedHere() throws InterruptedException {
    Object original = new Object();
    Object token = PreparedRequest.enter(original, new Object());
    AtomicReference<Object> seen = new AtomicReference<>(this);
    try {
      Thread other = new Thread(() -> seen.set(PreparedRequest.replacementFor(original)));
      other.start();
      other.join();
    } finally {
      PreparedRequest.exit(token);
    }

    assertThat(seen.get()).isNull();
  }
}
