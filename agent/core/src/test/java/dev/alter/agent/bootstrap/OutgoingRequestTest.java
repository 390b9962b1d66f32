package dev.alter.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class OutgoingRequestTest {
  @Test
  void theAlterHeadersAreFoundInAnyCaseAndTheFirstOfEachWins() {
    OutgoingRequest request =
        new OutgoingRequest("GET", "https", "api.example.com", -1, "/v1")
            .header("Host", "api.example.com")
            .header("ALTER-GRANT", " grt_first ")
            .header("Alter-Identity", "eyJ.first")
            .header("alter-grant", "grt_second")
            .header("alter-identity", "eyJ.second");

    assertThat(request.grantHeader()).isEqualTo(" grt_first ");
    assertThat(request.identityHeader()).isEqualTo("eyJ.first");
    assertThat(request.firstHeader("alter-grant")).isEqualTo(" grt_first ");
    assertThat(request.firstHeader("host")).isEqualTo("api.example.com");
    assertThat(request.firstHeader("accept")).isNull();
  }

  @Test
  void anUntaggedRequestHasNeither() {
    OutgoingRequest request =
        new OutgoingRequest("GET", "https", "api.example.com", -1, "/").header("Accept", "*/*");

    assertThat(request.grantHeader()).isNull();
    assertThat(request.identityHeader()).isNull();
  }

  @Test
  void manyHeadersKeepTheirOrderAndTheViewsFollowLaterOnesButCannotChangeThem() {
    OutgoingRequest request = new OutgoingRequest("POST", "https", "h.example", 8443, "/x?a=b");
    List<String> names = request.headerNames();
    List<String> values = request.headerValues();
    for (int i = 0; i < 20; i++) {
      request.header("x-h" + i, "v" + i);
    }

    assertThat(names).hasSize(20).startsWith("x-h0", "x-h1").endsWith("x-h19");
    assertThat(values).hasSize(20).startsWith("v0").endsWith("v19");
    assertThat(request.firstHeader("X-H17")).isEqualTo("v17");
    assertThatThrownBy(() -> names.add("x")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> values.get(20)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void itsTextNamesHeadersButNeverTheirValues() {
    OutgoingRequest request =
        new OutgoingRequest("GET", "https", "api.example.com", -1, "/")
            .header("alter-grant", "grt_secretish")
            .header("Authorization", "Bearer sk-live-123");

    assertThat(request.toString())
        .contains("alter-grant", "Authorization")
        .doesNotContain("grt_secretish", "sk-live-123");
  }
}
