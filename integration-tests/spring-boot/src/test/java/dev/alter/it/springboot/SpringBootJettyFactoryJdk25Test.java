package dev.alter.it.springboot;

import dev.alter.it.harness.JavaRuntime;

/** {@link SpringBootJettyFactoryTest} on JDK 25: the same fat jar, the same assertions. */
class SpringBootJettyFactoryJdk25Test extends SpringBootJettyFactoryTest {
  @Override
  JavaRuntime runtime() {
    return JavaRuntime.JDK_25;
  }
}
