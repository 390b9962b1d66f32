package dev.alter.cli.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ServiceEndpointTest {

  @Test
  void acceptsHttpAndHttpsBaseUrlsWithoutTrailingSlash() {
    assertThat(ServiceEndpoint.of("http://127.0.0.1:8470/", null).uri().toString())
        .isEqualTo("http://127.0.0.1:8470");
    assertThat(ServiceEndpoint.of("https://alter.internal:8443", Path.of("ca.pem")).caFile())
        .isEqualTo(Path.of("ca.pem"));
  }

  @Test
  void rejectsWhatIsNotAServiceUrl() {
    assertThatThrownBy(() -> ServiceEndpoint.of("127.0.0.1:8470", null))
        .hasMessageContaining("http(s)://host");
    assertThatThrownBy(() -> ServiceEndpoint.of("ftp://host", null))
        .hasMessageContaining("http(s)://host");
    assertThatThrownBy(() -> ServiceEndpoint.of("http://user:pw@host", null))
        .hasMessageContaining("user info");
  }

  @Test
  void caFileWithPlainHttpIsAMistake() {
    assertThatThrownBy(() -> ServiceEndpoint.of("http://127.0.0.1:8470", Path.of("ca.pem")))
        .hasMessageContaining("https://");
  }

  @Test
  void plainHttpOnlyToLoopbackIsQuiet() {
    assertThat(ServiceEndpoint.of("http://127.0.0.1:1", null).isPlainHttpToRemoteHost()).isFalse();
    assertThat(ServiceEndpoint.of("http://localhost:1", null).isPlainHttpToRemoteHost()).isFalse();
    assertThat(ServiceEndpoint.of("http://[::1]:1", null).isPlainHttpToRemoteHost()).isFalse();
    assertThat(ServiceEndpoint.of("http://alter.example:1", null).isPlainHttpToRemoteHost())
        .isTrue();
    assertThat(ServiceEndpoint.of("https://alter.example", null).isPlainHttpToRemoteHost())
        .isFalse();
  }
}
