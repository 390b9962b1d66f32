package dev.alter.it.urlconnection;

import dev.alter.it.harness.JavaRuntime;

/** HttpURLConnection on JDK 25. */
class UrlConnectionJdk25Test extends UrlConnectionContract {
  UrlConnectionJdk25Test() {
    super(JavaRuntime.JDK_25);
  }
}
