package dev.alter.agent.installer;

import dev.alter.agent.bootstrap.AlterUserSecretException;
import dev.alter.agent.bootstrap.AlterUserSecrets;
import dev.alter.agent.bootstrap.UserSecretStatus;
import dev.alter.agent.config.AgentConfig;
import dev.alter.agent.resolver.UserSecretsClient;
import dev.alter.contract.ErrorCode;
import java.time.Duration;

/**
 * What {@link AlterUserSecrets} is bound to from {@code premain}: the client is built on the first
 * call (never during start-up), and an agent without a resolver URL or app key fails each call
 * naming the missing setting.
 */
final class DeferredUserSecrets implements AlterUserSecrets.Backend {
  /** An upload may wait for the service to fetch the IdP's keys: more than a resolve's budget. */
  private static final Duration MIN_TIMEOUT = Duration.ofSeconds(10);

  private final AgentConfig config;
  private final DeferredInjector injector;
  private volatile UserSecretsClient client;

  DeferredUserSecrets(AgentConfig config, DeferredInjector injector) {
    this.config = config;
    this.injector = injector;
  }

  @Override
  public UserSecretStatus store(String provider, String name, String userJwt, char[] credential)
      throws AlterUserSecretException {
    return client(provider).store(provider, name, userJwt, credential);
  }

  @Override
  public boolean delete(String provider, String name, String userJwt)
      throws AlterUserSecretException {
    return client(provider).delete(provider, name, userJwt);
  }

  @Override
  public UserSecretStatus status(String provider, String name, String userJwt)
      throws AlterUserSecretException {
    return client(provider).status(provider, name, userJwt);
  }

  private UserSecretsClient client(String provider) throws AlterUserSecretException {
    UserSecretsClient c = client;
    if (c != null) {
      return c;
    }
    if (config.resolverUrl() == null) {
      throw new AlterUserSecretException(
          ErrorCode.RESOLVER_UNAVAILABLE.code(),
          provider,
          "the agent has no resolver URL",
          "set ALTER_RESOLVER_URL, -Dalter.resolver.url or the agent argument resolver=");
    }
    if (config.apiKey() == null) {
      throw new AlterUserSecretException(
          ErrorCode.UNAUTHORIZED_APP.code(),
          provider,
          "the agent has no app key",
          "set ALTER_API_KEY, ALTER_API_KEY_FILE, -Dalter.api.key.file or the agent argument"
              + " api_key_file=");
    }
    synchronized (this) {
      if (client == null) {
        Duration timeout =
            config.resolveTimeout().compareTo(MIN_TIMEOUT) < 0
                ? MIN_TIMEOUT
                : config.resolveTimeout();
        client =
            new UserSecretsClient(
                config.resolverUrl(),
                config.apiKey(),
                config.caFile(),
                timeout,
                injector::forgetIdentity);
      }
      return client;
    }
  }
}
