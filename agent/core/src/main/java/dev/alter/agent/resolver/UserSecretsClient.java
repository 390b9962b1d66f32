package dev.alter.agent.resolver;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.alter.agent.bootstrap.AlterUserSecretException;
import dev.alter.agent.bootstrap.AlterUserSecrets;
import dev.alter.agent.bootstrap.UserSecretStatus;
import dev.alter.contract.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * {@link AlterUserSecrets}' calls to the resolver service's {@code /v1/user-secrets/{provider}},
 * signed with the app key's proof key exactly like a resolve (the key itself never travels), over
 * the agent's own HTTP client: its requests carry no {@code alter-*} header, so the agent's
 * instrumentation passes them through. The key is written into the request body straight from the
 * caller's {@code char[]} (no {@code String} of it is made) and that body is cleared once sent.
 */
public final class UserSecretsClient implements AlterUserSecrets.Backend {
  private static final String PATH = "/v1/user-secrets/";
  private static final Pattern PROVIDER = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
  private static final int MAX_ANSWER_BYTES = 64 * 1024;

  private final String base;
  private final ResolveSigner signer;
  private final Path caFile;
  private final Duration timeout;
  private final Consumer<String> identityChanged;
  private final JsonFactory json =
      JsonFactory.builder()
          // fresh buffers per call: a recycled buffer would keep the key's bytes for the next one
          .disable(JsonFactory.Feature.USE_THREAD_LOCAL_FOR_BUFFER_RECYCLING)
          .build();
  private volatile HttpClient http;

  /**
   * @param identityChanged told the user's token after a store or delete succeeded, so cached
   *     credentials resolved for it are dropped and the next request resolves the new state
   */
  public UserSecretsClient(
      URI baseUrl, String apiKey, Path caFile, Duration timeout, Consumer<String> identityChanged) {
    String text = baseUrl.toString();
    this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    this.signer = new ResolveSigner(apiKey, Clock.systemUTC());
    this.caFile = caFile;
    this.timeout = timeout;
    this.identityChanged = identityChanged;
  }

  @Override
  public UserSecretStatus store(String provider, String name, String userJwt, char[] credential)
      throws AlterUserSecretException {
    byte[] body = body(provider, name, userJwt, credential);
    try {
      Answer answer = send("PUT", uri(provider, ""), body, provider);
      identityChanged.accept(userJwt);
      return status(provider, name, true, answer);
    } finally {
      Arrays.fill(body, (byte) 0);
    }
  }

  @Override
  public boolean delete(String provider, String name, String userJwt)
      throws AlterUserSecretException {
    try {
      send("DELETE", uri(provider, ""), body(provider, name, userJwt, null), provider);
    } catch (AlterUserSecretException e) {
      if (ErrorCode.NOT_FOUND.code().equals(e.code())) {
        return false;
      }
      throw e;
    }
    identityChanged.accept(userJwt);
    return true;
  }

  @Override
  public UserSecretStatus status(String provider, String name, String userJwt)
      throws AlterUserSecretException {
    Answer answer =
        send("POST", uri(provider, "/status"), body(provider, name, userJwt, null), provider);
    return status(provider, name, "true".equals(answer.fields.get("stored")), answer);
  }

  private static UserSecretStatus status(
      String provider, String name, boolean stored, Answer answer) {
    return new UserSecretStatus(
        provider,
        answer.fields.getOrDefault("name", name),
        stored,
        answer.fields.get("fingerprint"),
        answer.fields.get("updated_at"),
        answer.fields.get("grant_id"));
  }

  private URI uri(String provider, String suffix) throws AlterUserSecretException {
    if (provider == null || !PROVIDER.matcher(provider).matches()) {
      throw new AlterUserSecretException(
          ErrorCode.PROVIDER_NOT_ALLOWED.code(),
          null,
          "provider must be a provider id such as datadog",
          "pass the provider's catalog id");
    }
    return URI.create(base + PATH + URLEncoder.encode(provider, StandardCharsets.UTF_8) + suffix);
  }

  private byte[] body(String provider, String name, String userJwt, char[] credential)
      throws AlterUserSecretException {
    if (userJwt == null || userJwt.isEmpty()) {
      throw new AlterUserSecretException(
          ErrorCode.IDENTITY_INVALID.code(),
          provider,
          "no user JWT was given",
          "pass the calling user's JWT, as the backend received it");
    }
    WipedBuffer out = new WipedBuffer();
    try (JsonGenerator g = json.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("identity", userJwt);
      if (name != null && !AlterUserSecrets.DEFAULT_NAME.equals(name)) {
        g.writeStringField("name", name);
      }
      if (credential != null) {
        g.writeFieldName("credential");
        g.writeString(credential, 0, credential.length);
      }
      g.writeEndObject();
    } catch (IOException e) {
      out.wipe();
      throw new AlterUserSecretException(
          ErrorCode.INTERNAL_ERROR.code(), provider, "the request could not be written", null);
    }
    byte[] bytes = out.toByteArray();
    out.wipe();
    return bytes;
  }

  /** The service's answer: its top-level scalar fields as text. */
  private static final class Answer {
    final Map<String, String> fields;

    Answer(Map<String, String> fields) {
      this.fields = fields;
    }
  }

  private Answer send(String method, URI uri, byte[] body, String provider)
      throws AlterUserSecretException {
    HttpResponse<byte[]> response;
    try {
      HttpRequest request =
          HttpRequest.newBuilder(uri)
              .timeout(timeout)
              .header("Authorization", signer.authorization(method, uri, body, null))
              .header("Content-Type", "application/json")
              .header("Accept", "application/json, application/problem+json")
              .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
              .build();
      response = client().send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpTimeoutException e) {
      throw unavailable(provider, "timed out after " + timeout.toMillis() + " ms");
    } catch (IOException | GeneralSecurityException e) {
      throw unavailable(provider, "cannot reach it (" + e.getClass().getSimpleName() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable(provider, "interrupted");
    }
    Map<String, String> fields = new HashMap<>();
    byte[] answer = response.body();
    if (answer != null && answer.length > 0 && answer.length <= MAX_ANSWER_BYTES) {
      try {
        fields = read(answer);
      } catch (IOException | RuntimeException notJson) {
        // judged by the status below
      }
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return new Answer(fields);
    }
    String code = fields.get("code");
    if (code == null) {
      throw unavailable(provider, "it answered HTTP " + status);
    }
    throw new AlterUserSecretException(
        code, provider, fields.get("detail"), ErrorCode.fromCode(code).fix());
  }

  private Map<String, String> read(byte[] answer) throws IOException {
    Map<String, String> fields = new HashMap<>();
    try (JsonParser p = json.createParser(answer)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return fields;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.getCurrentName();
        JsonToken value = p.nextToken();
        if (value.isScalarValue() && value != JsonToken.VALUE_NULL) {
          fields.put(name, p.getText());
        } else {
          p.skipChildren();
        }
      }
    }
    return fields;
  }

  private AlterUserSecretException unavailable(String provider, String why) {
    return new AlterUserSecretException(
        ErrorCode.RESOLVER_UNAVAILABLE.code(),
        provider,
        "the resolver service at " + base + ": " + why,
        ErrorCode.RESOLVER_UNAVAILABLE.fix());
  }

  private HttpClient client() throws GeneralSecurityException, IOException {
    HttpClient c = http;
    if (c == null) {
      synchronized (this) {
        c = http;
        if (c == null) {
          HttpClient.Builder builder =
              HttpClient.newBuilder()
                  .version(HttpClient.Version.HTTP_1_1)
                  .connectTimeout(timeout)
                  .followRedirects(HttpClient.Redirect.NEVER)
                  .proxy(HttpClient.Builder.NO_PROXY);
          if (caFile != null) {
            builder.sslContext(ResolverClient.sslContextTrusting(caFile));
          }
          c = builder.build();
          http = c;
        }
      }
    }
    return c;
  }

  /** A byte buffer whose contents can be cleared: it held the user's key. */
  private static final class WipedBuffer extends ByteArrayOutputStream {
    void wipe() {
      Arrays.fill(buf, (byte) 0);
      count = 0;
    }
  }
}
