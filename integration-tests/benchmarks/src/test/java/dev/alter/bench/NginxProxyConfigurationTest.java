package dev.alter.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The generated sidecar is the fair, production-like one the comparison claims. */
class NginxProxyConfigurationTest {
  private final String config =
      NginxProxy.configuration(Path.of("/tmp/bench-nginx"), 18080, 18081, "DD-API-KEY", "k3y");

  @Test
  void listensOnLoopbackOnlyInTheForeground() {
    assertThat(config).contains("daemon off;", "listen 127.0.0.1:18080;");
    assertThat(config).doesNotContainPattern("listen (?!127\\.0\\.0\\.1)");
  }

  @Test
  void keepsUpstreamConnectionsAliveAndAddsTheHeader() {
    assertThat(config)
        .contains(
            "server 127.0.0.1:18081;",
            "keepalive 64;",
            "proxy_http_version 1.1;",
            "proxy_set_header Connection \"\";",
            "proxy_set_header DD-API-KEY \"k3y\";");
  }

  @Test
  void writesNothingOutsideItsDirectory() {
    assertThat(config)
        .contains(
            "access_log off;",
            "pid /tmp/bench-nginx/nginx.pid;",
            "proxy_temp_path /tmp/bench-nginx/temp/proxy;");
  }
}
