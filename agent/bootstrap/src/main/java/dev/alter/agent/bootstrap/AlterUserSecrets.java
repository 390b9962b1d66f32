package dev.alter.agent.bootstrap;

import java.util.Arrays;

/**
 * Lets an application's users connect their own provider keys: the backend passes the key a user
 * pasted and that user's JWT, and the Alter agent stores it in the resolver service bound to that
 * user, over the agent's own authenticated channel (signed with the app key the agent holds; the
 * application never handles the app key). A request the backend then sends with {@code
 * alter-grant: @provider} and the user's JWT in {@code alter-identity} carries that user's key.
 *
 * <p>Compile against the {@code alter-agent-bootstrap} artifact; at run time the agent defines this
 * class in the boot class loader and binds it to its resolver client. Without the agent every call
 * fails with {@link AlterUserSecretException} code {@code resolver_unavailable}, naming the fix.
 *
 * <p>Which providers users may upload for, where their keys may go and whose users may upload is
 * the operator's decision ({@code alter user-secrets allow}); a refusal comes back as {@link
 * AlterUserSecretException#code()}: {@code provider_not_allowed}, {@code identity_invalid}, {@code
 * identity_not_accepted}, {@code malformed_credential}, {@code user_secret_limit_reached}, {@code
 * rate_limited}.
 *
 * <p>A user keeps one key per provider, named {@value #DEFAULT_NAME}. Where the operator allows
 * more ({@code --max-per-user}), the overloads with a {@code name} keep several side by side (for
 * example one per Datadog site); {@code alter-grant: @provider} is then ambiguous for that user, so
 * requests name the key's grant ({@link UserSecretStatus#grantId()}).
 */
public final class AlterUserSecrets {
  /** The name of a user's key when none is given: the one key of a user for a provider. */
  public static final String DEFAULT_NAME = "default";

  private static final Backend ABSENT =
      new Backend() {
        @Override
        public UserSecretStatus store(
            String provider, String name, String userJwt, char[] credential)
            throws AlterUserSecretException {
          throw absent(provider);
        }

        @Override
        public boolean delete(String provider, String name, String userJwt)
            throws AlterUserSecretException {
          throw absent(provider);
        }

        @Override
        public UserSecretStatus status(String provider, String name, String userJwt)
            throws AlterUserSecretException {
          throw absent(provider);
        }
      };

  private static volatile Backend backend = ABSENT;

  private AlterUserSecrets() {}

  /**
   * Stores {@code credential} as the key of the user {@code userJwt} identifies for {@code
   * provider}, or replaces it (rotation in place: the user's grant keeps its id, and requests after
   * the next resolve carry the new key). The array is cleared before this returns, whether or not
   * the call succeeded.
   *
   * @return the stored key's status: a fingerprint and times, never the key
   */
  public static UserSecretStatus store(String provider, String userJwt, char[] credential)
      throws AlterUserSecretException {
    return store(provider, DEFAULT_NAME, userJwt, credential);
  }

  /**
   * Like {@link #store(String, String, char[])} for the user's key called {@code name} (1-64
   * characters: lower-case letters, digits, '-' and '_'). A new name counts against the operator's
   * keys-per-user limit ({@code user_secret_limit_reached}); an existing one is rotated in place.
   */
  public static UserSecretStatus store(
      String provider, String name, String userJwt, char[] credential)
      throws AlterUserSecretException {
    try {
      if (credential == null) {
        throw new AlterUserSecretException(
            AlterUserSecretException.MALFORMED_CREDENTIAL,
            provider,
            "credential is null",
            "pass the user's key");
      }
      return backend.store(provider, nameOrDefault(name), userJwt, credential);
    } finally {
      if (credential != null) {
        Arrays.fill(credential, '\0');
      }
    }
  }

  /**
   * Deletes the user's key for {@code provider}: its grant is revoked and the secret deleted.
   *
   * @return false when the user had no key stored
   */
  public static boolean delete(String provider, String userJwt) throws AlterUserSecretException {
    return delete(provider, DEFAULT_NAME, userJwt);
  }

  /** Deletes the user's key called {@code name}; false when there is none by that name. */
  public static boolean delete(String provider, String name, String userJwt)
      throws AlterUserSecretException {
    return backend.delete(provider, nameOrDefault(name), userJwt);
  }

  /** Whether the user has a key stored for {@code provider}, with its fingerprint and time. */
  public static UserSecretStatus status(String provider, String userJwt)
      throws AlterUserSecretException {
    return status(provider, DEFAULT_NAME, userJwt);
  }

  /** Whether the user has a key called {@code name} stored for {@code provider}. */
  public static UserSecretStatus status(String provider, String name, String userJwt)
      throws AlterUserSecretException {
    return backend.status(provider, nameOrDefault(name), userJwt);
  }

  /** True when this JVM runs the Alter agent, which then carries these calls. */
  public static boolean available() {
    return backend != ABSENT;
  }

  /** Called once by the agent at start-up; a second call is refused. */
  public static synchronized void install(Backend agentBackend) {
    if (backend != ABSENT) {
      throw new IllegalStateException("the Alter agent's user-secret backend is already installed");
    }
    backend = agentBackend;
  }

  private static String nameOrDefault(String name) {
    return name == null ? DEFAULT_NAME : name;
  }

  private static AlterUserSecretException absent(String provider) {
    return new AlterUserSecretException(
        AlterCredentialException.RESOLVER_UNAVAILABLE,
        provider,
        "the Alter agent is not running in this JVM, so nothing was stored",
        "start the JVM with -javaagent:alter-agent.jar (configured with ALTER_RESOLVER_URL and the"
            + " app key), or call the resolver's REST API /v1/user-secrets/ from a backend without"
            + " the agent");
  }

  /** What the agent binds this class to. Not for applications. */
  public interface Backend {
    UserSecretStatus store(String provider, String name, String userJwt, char[] credential)
        throws AlterUserSecretException;

    boolean delete(String provider, String name, String userJwt) throws AlterUserSecretException;

    UserSecretStatus status(String provider, String name, String userJwt)
        throws AlterUserSecretException;
  }
}
