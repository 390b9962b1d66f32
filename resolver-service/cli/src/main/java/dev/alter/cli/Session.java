package dev.alter.cli;

import dev.alter.cli.http.AdminApiClient;
import dev.alter.cli.http.ServiceEndpoint;
import dev.alter.cli.input.AdminKeySource;
import dev.alter.cli.input.CredentialReader;
import dev.alter.cli.output.Output;
import dev.alter.cli.output.Redactor;
import java.nio.file.Path;

/**
 * What one command invocation works with: the admin API client (created on first use, so that a
 * missing admin key is reported only by commands that call the service), credential input and
 * output.
 */
public final class Session {
  private final CliContext context;
  private final ServiceEndpoint endpoint;
  private final Path adminKeyFile;
  private final Output output;
  private final Redactor redactor;
  private AdminApiClient client;

  Session(
      CliContext context,
      ServiceEndpoint endpoint,
      Path adminKeyFile,
      Output output,
      Redactor redactor) {
    this.context = context;
    this.endpoint = endpoint;
    this.adminKeyFile = adminKeyFile;
    this.output = output;
    this.redactor = redactor;
  }

  public AdminApiClient api() {
    if (client == null) {
      String adminKey = AdminKeySource.resolve(adminKeyFile, context::env);
      redactor.register(adminKey);
      if (endpoint.isPlainHttpToRemoteHost()) {
        output.warn(
            "sending the admin key over plain HTTP to "
                + endpoint.uri().getHost()
                + "; use an https:// URL for anything but loopback");
      }
      client = new AdminApiClient(endpoint, adminKey);
    }
    return client;
  }

  public Output out() {
    return output;
  }

  /** Reads credentials; every value read is registered for redaction before it is returned. */
  public CredentialReader credentials() {
    return new CredentialReader(context.stdin(), context.terminal(), redactor::register);
  }
}
