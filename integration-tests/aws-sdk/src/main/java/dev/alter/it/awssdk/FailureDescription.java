package dev.alter.it.awssdk;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * A failed call as the test needs it: the SDK exception, the HTTP status and S3 error code when the
 * server answered, and, when the agent refused the request, its stable code and grant (found in the
 * cause chain, where the SDK wraps the agent's IOException).
 */
final class FailureDescription {
  private FailureDescription() {}

  static Map<String, Object> of(Throwable error) {
    Map<String, Object> failure = new LinkedHashMap<>();
    failure.put("class", error.getClass().getName());
    failure.put("message", error.getMessage());
    if (error instanceof AwsServiceException) {
      AwsServiceException service = (AwsServiceException) error;
      failure.put("status", service.statusCode());
      failure.put(
          "error_code",
          service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode());
    }
    List<String> causes = new ArrayList<>();
    for (Throwable t = error.getCause(); t != null && causes.size() < 8; t = t.getCause()) {
      causes.add(t.getClass().getName() + ": " + t.getMessage());
      Object code = invokeIfPresent(t, "code");
      if (code != null && t.getClass().getName().startsWith("dev.alter.")) {
        failure.put("alter_code", String.valueOf(code));
        failure.put("alter_grant", String.valueOf(invokeIfPresent(t, "grantId")));
      }
    }
    failure.put("causes", causes);
    return failure;
  }

  private static Object invokeIfPresent(Throwable t, String method) {
    try {
      return t.getClass().getMethod(method).invoke(t);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
