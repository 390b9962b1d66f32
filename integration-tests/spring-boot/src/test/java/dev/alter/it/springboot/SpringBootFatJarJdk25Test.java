package dev.alter.it.springboot;

import dev.alter.it.harness.JavaRuntime;

/** {@link SpringBootFatJarTest} on JDK 25: the same fat jar, the same assertions. */
class SpringBootFatJarJdk25Test extends SpringBootFatJarTest {
  @Override
  JavaRuntime runtime() {
    return JavaRuntime.JDK_25;
  }
}
