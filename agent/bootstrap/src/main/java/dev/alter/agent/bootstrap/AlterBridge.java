package dev.alter.agent.bootstrap;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The only entry point inlined advice calls. Lives on the bootstrap class path so advice woven into
 * any class loader's classes (the JDK's platform modules included) can reach it; the real work is
 * behind {@link RequestInjector}, loaded in the agent's isolated class loader.
 *
 * <p>Fail-closed contract: {@link #rewrite} either returns what to apply or throws {@link
 * AlterCredentialException}; it never returns null for a tagged request and never lets another
 * throwable escape (which could otherwise let an unauthenticated request through).
 */
public final class AlterBridge {
  public static final String GRANT_HEADER = "alter-grant";
  public static final String IDENTITY_HEADER = "alter-identity";

  private static final RequestInjector NOT_STARTED =
      request -> {
        throw new AlterCredentialException(
            AlterCredentialException.RESOLVER_UNAVAILABLE,
            request.grantHeader(),
            "the Alter agent did not start",
            "check the agent's start-up line on stderr");
      };

  private static volatile RequestInjector injector = NOT_STARTED;

  /** Before the agent installs its check, no hook is known to be woven: fail closed. */
  private static final ClientHookCheck NO_HOOKS =
      (hookSet, clientType, grantId) -> {
        throw new AlterCredentialException(
            AlterCredentialException.CLIENT_NOT_SUPPORTED,
            grantId,
            "the Alter agent's hooks for " + hookSet + " are not installed",
            "check the agent's start-up line on stderr");
      };

  private static volatile ClientHookCheck hookCheck = NO_HOOKS;

  private AlterBridge() {}

  public static void install(RequestInjector requestInjector) {
    injector = requestInjector;
  }

  public static void installHookCheck(ClientHookCheck check) {
    hookCheck = check;
  }

  /**
   * Called by a client family's entry-point advice for a request that carries {@code alter-grant}:
   * throws {@code client_not_supported} unless the hooks that inject further down are woven into
   * this client, so a client whose internals the agent does not fit never sends the request without
   * its credential.
   */
  public static void requireHooks(String hookSet, Class<?> clientType, String grantId)
      throws AlterCredentialException {
    AlterCredentialException refusal;
    try {
      hookCheck.require(hookSet, clientType, grantId);
      return;
    } catch (AlterCredentialException e) {
      refusal = e;
    } catch (Throwable t) {
      refusal =
          new AlterCredentialException(
              AlterCredentialException.CLIENT_NOT_SUPPORTED,
              grantId,
              "the agent could not check its hooks for "
                  + hookSet
                  + " ("
                  + t.getClass().getName()
                  + ")",
              "report this; the request was not sent");
    }
    try {
      injector.refusedAtEntry(grantId == null ? null : grantId.trim(), refusal.code());
    } catch (Throwable countingFailed) {
      // counts are best effort; the refusal stands
    }
    throw refusal;
  }

  /**
   * True for {@code alter-grant} / {@code alter-identity}, any case: the advice fast path, asked
   * for every header of every request. The length and first letter settle nearly every other name
   * without a case-insensitive comparison, whose mismatch path calls the JDK's case mapping (too
   * big for the JIT to inline into the hooked method).
   */
  public static boolean isAlterHeader(String name) {
    if (name == null) {
      return false;
    }
    int length = name.length();
    if (length != GRANT_HEADER.length() && length != IDENTITY_HEADER.length()
        || (name.charAt(0) | 0x20) != 'a') {
      return false;
    }
    return length == GRANT_HEADER.length()
        ? name.equalsIgnoreCase(GRANT_HEADER)
        : name.equalsIgnoreCase(IDENTITY_HEADER);
  }

  public static RequestRewrite rewrite(OutgoingRequest request) throws AlterCredentialException {
    try {
      RequestRewrite rewrite = injector.rewrite(request);
      if (rewrite == null) {
        throw new IllegalStateException("injector returned no rewrite");
      }
      return rewrite;
    } catch (AlterCredentialException e) {
      throw e;
    } catch (Throwable t) {
      // deliberately no cause text: an unexpected failure must not echo request data
      throw new AlterCredentialException(
          AlterCredentialException.RESOLVER_UNAVAILABLE,
          request.grantHeader(),
          "internal agent error " + t.getClass().getName(),
          "report this; the request was not sent");
    }
  }

  /**
   * {@link #rewrite} for advice on an event loop, which must never wait for a resolve: complete at
   * once when the answer is at hand, otherwise completed off the loop. It completes with a non-null
   * rewrite or exceptionally with {@link AlterCredentialException}, never with another throwable.
   */
  public static CompletableFuture<RequestRewrite> rewriteWithoutBlocking(OutgoingRequest request) {
    CompletableFuture<RequestRewrite> asked;
    try {
      asked = injector.rewriteWithoutBlocking(request);
    } catch (Throwable t) {
      asked = new CompletableFuture<>();
      asked.completeExceptionally(t);
    }
    if (asked == null) {
      asked = new CompletableFuture<>();
      asked.completeExceptionally(new IllegalStateException("injector returned no rewrite"));
    }
    String grant = request.grantHeader();
    CompletableFuture<RequestRewrite> checked = new CompletableFuture<>();
    asked.whenComplete(
        (rewrite, error) -> {
          if (error == null && rewrite != null) {
            checked.complete(rewrite);
            return;
          }
          Throwable cause = error;
          while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
          }
          if (cause instanceof AlterCredentialException) {
            checked.completeExceptionally(cause);
          } else {
            // deliberately no cause text: an unexpected failure must not echo request data
            checked.completeExceptionally(
                new AlterCredentialException(
                    AlterCredentialException.RESOLVER_UNAVAILABLE,
                    grant,
                    "internal agent error "
                        + (cause == null ? "(no rewrite)" : cause.getClass().getName()),
                    "report this; the request was not sent"));
          }
        });
    return checked;
  }
}
