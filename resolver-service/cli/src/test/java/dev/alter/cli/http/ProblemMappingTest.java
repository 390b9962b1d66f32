package dev.alter.cli.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alter.cli.CliFailure;
import dev.alter.cli.ExitCodes;
import org.junit.jupiter.api.Test;

class ProblemMappingTest {

  @Test
  void problemBodyGivesCodeDetailAndExitCode() {
    CliFailure f =
        AdminApiClient.failureFrom(
            404,
            "{\"type\":\"urn:alter:error:not_found\","
                + "\"title\":\"No such resource.\",\"status\":404,\"detail\":\"no secret ms_x\","
                + "\"code\":\"not_found\"}");

    assertThat(f.code()).isEqualTo("not_found");
    assertThat(f.detail()).isEqualTo("no secret ms_x");
    assertThat(f.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(f.hint()).contains("alter secrets list");
  }

  @Test
  void validationAndConflictAreRejectedInput() {
    assertThat(AdminApiClient.failureFrom(400, problem("validation_failed", 400)).exitCode())
        .isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(AdminApiClient.failureFrom(409, problem("conflict", 409)).exitCode())
        .isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(AdminApiClient.failureFrom(413, problem("payload_too_large", 413)).exitCode())
        .isEqualTo(ExitCodes.INVALID_INPUT);
  }

  @Test
  void unauthorizedAndForbiddenAreAuthFailures() {
    CliFailure unauthorized = AdminApiClient.failureFrom(401, problem("unauthorized", 401));
    CliFailure forbidden = AdminApiClient.failureFrom(403, problem("forbidden", 403));

    assertThat(unauthorized.exitCode()).isEqualTo(ExitCodes.AUTH);
    assertThat(unauthorized.hint()).contains("ALTER_ADMIN_KEY_FILE");
    assertThat(forbidden.exitCode()).isEqualTo(ExitCodes.AUTH);
    assertThat(forbidden.hint()).contains("admin key");
  }

  @Test
  void serverErrorsMeanTheServiceIsUnavailable() {
    assertThat(AdminApiClient.failureFrom(503, problem("store_unavailable", 503)).exitCode())
        .isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(AdminApiClient.failureFrom(500, "").exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
  }

  @Test
  void nonProblemBodiesGetACodeFromTheStatus() {
    CliFailure f = AdminApiClient.failureFrom(404, "<html>Not Found</html>");

    assertThat(f.code()).isEqualTo("not_found");
    assertThat(f.detail()).isEqualTo("the service answered HTTP 404");
    assertThat(AdminApiClient.failureFrom(401, null).code()).isEqualTo("unauthorized");
    assertThat(AdminApiClient.failureFrom(502, "bad gateway").code()).isEqualTo("internal_error");
  }

  @Test
  void pathSegmentsAreEncodedSoIdsCannotChangeThePath() {
    assertThat(AdminApiClient.path("secrets", "../apps", "credential"))
        .isEqualTo("/v1/secrets/..%2Fapps/credential");
    assertThat(AdminApiClient.path("grants", "a b?c")).isEqualTo("/v1/grants/a%20b%3Fc");
  }

  private static String problem(String code, int status) {
    return "{\"code\":\"" + code + "\",\"status\":" + status + ",\"detail\":\"d\"}";
  }
}
