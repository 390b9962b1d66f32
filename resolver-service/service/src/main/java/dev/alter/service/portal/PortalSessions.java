package dev.alter.service.portal;

import dev.alter.service.app.Caller;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Server-side portal sessions, held in memory: a session holds only the signed-in admin key's id
 * and a CSRF token, never the admin key, so losing them on a restart costs a sign-in and nothing
 * else, and there is nothing to migrate or clean up in the store. Behind several replicas the
 * portal needs sticky routing (docs/operations.md). The map is keyed by a SHA-256 of the cookie
 * value, so the cookie itself is not kept here either.
 */
public final class PortalSessions {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration idle;
  private final Duration absolute;

  /** One signed-in operator. {@code flash} is a one-time notice for the next page. */
  public static final class Session {
    private final Caller caller;
    private final String csrfToken;
    private final long createdAt;
    private volatile long lastSeenAt;
    private volatile String flash;
    private volatile boolean flashIsError;

    private Session(Caller caller, String csrfToken, long now) {
      this.caller = caller;
      this.csrfToken = csrfToken;
      this.createdAt = now;
      this.lastSeenAt = now;
    }

    public Caller caller() {
      return caller;
    }

    public String csrfToken() {
      return csrfToken;
    }

    public void flash(String message, boolean error) {
      this.flash = message;
      this.flashIsError = error;
    }

    /** The pending notice (cleared by reading it), or null. */
    public Flash takeFlash() {
      String message = flash;
      flash = null;
      return message == null ? null : new Flash(message, flashIsError);
    }

    /** Constant-time comparison (SECURITY.md invariant 9 applies the same rule to keys). */
    public boolean csrfMatches(String presented) {
      return presented != null
          && MessageDigest.isEqual(
              csrfToken.getBytes(StandardCharsets.US_ASCII),
              presented.getBytes(StandardCharsets.US_ASCII));
    }
  }

  public record Flash(String message, boolean error) {}

  /** A new session and the cookie value that names it. */
  public record Started(String cookieValue, Session session) {}

  public PortalSessions(Clock clock, Duration idle, Duration absolute) {
    this.clock = clock;
    this.idle = idle;
    this.absolute = absolute;
  }

  public Started start(Caller caller) {
    removeExpired();
    String cookie = randomToken();
    Session session = new Session(caller, randomToken(), clock.millis());
    sessions.put(hash(cookie), session);
    return new Started(cookie, session);
  }

  /** The live session the cookie names, its idle clock restarted; expired ones are removed. */
  public Optional<Session> find(String cookieValue) {
    if (cookieValue == null || cookieValue.length() > 100) {
      return Optional.empty();
    }
    String key = hash(cookieValue);
    Session session = sessions.get(key);
    if (session == null) {
      return Optional.empty();
    }
    long now = clock.millis();
    if (expired(session, now)) {
      sessions.remove(key);
      return Optional.empty();
    }
    session.lastSeenAt = now;
    return Optional.of(session);
  }

  public void end(String cookieValue) {
    if (cookieValue != null) {
      sessions.remove(hash(cookieValue));
    }
  }

  public Duration absoluteLifetime() {
    return absolute;
  }

  private boolean expired(Session s, long now) {
    return now - s.lastSeenAt >= idle.toMillis() || now - s.createdAt >= absolute.toMillis();
  }

  private void removeExpired() {
    long now = clock.millis();
    sessions.values().removeIf(s -> expired(s, now));
  }

  static String randomToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String hash(String value) {
    try {
      return Base64.getEncoder()
          .encodeToString(
              MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
