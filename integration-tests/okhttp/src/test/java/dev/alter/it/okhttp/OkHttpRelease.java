package dev.alter.it.okhttp;

import dev.alter.it.harness.ClientJars;
import java.nio.file.Path;
import java.util.List;

/** The OkHttp releases under test and their runtime jars, copied by this module's pom. */
enum OkHttpRelease {
  /** The first release the legacy codec hooks fit. */
  OKHTTP_3_5("3.5.0"),
  /** The last release before 3.12's long-term line. */
  OKHTTP_3_11("3.11.0"),
  /** The last release line before {@code Exchange}: the legacy codec hooks. */
  OKHTTP_3_12("3.12.13"),
  OKHTTP_3_14("3.14.9"),
  OKHTTP_4("4.12.0"),
  OKHTTP_5("5.5.1");

  final String version;

  OkHttpRelease(String version) {
    this.version = version;
  }

  /** 3.14 and later write through {@code okhttp3.internal.connection.Exchange}. */
  boolean hasExchange() {
    return this != OKHTTP_3_5 && this != OKHTTP_3_11 && this != OKHTTP_3_12;
  }

  /** OkHttp, logging-interceptor, Okio and (4.x, 5.x) the Kotlin standard library. */
  List<Path> jars() {
    return ClientJars.in("alter.okhttp.clients", "okhttp-" + version);
  }
}
