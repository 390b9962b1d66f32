package dev.alter.it.urlconnection;

import dev.alter.it.harness.JavaRuntime;

/** HttpURLConnection on JDK 17. */
class UrlConnectionJdk17Test extends UrlConnectionContract {
  UrlConnectionJdk17Test() {
    super(JavaRuntime.JDK_17);
  }
}
