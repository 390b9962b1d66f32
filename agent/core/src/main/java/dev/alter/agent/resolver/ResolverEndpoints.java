package dev.alter.agent.resolver;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which resolver replica to ask next. The configured URLs are tried in their order, skipping a
 * replica that failed recently: a failure puts it in back-off (short at first, doubling on each
 * further failure up to a cap) and a success takes it out again. When every replica is in back-off
 * the one whose back-off ends first is still offered, so the agent never stops asking altogether.
 *
 * <p>A URL whose host name has several addresses (DNS round robin, a headless service) counts as
 * one replica per address, in the order the name resolves to: the JDK HttpClient would only ever
 * dial the first address, so a dead one would hide the live ones. Those replicas are dialled by
 * address; {@link #hostNameFor} gives TLS back the name, so the certificate is still checked
 * against it. The name is looked up again at most every {@value #LOOKUP_EVERY_MILLIS} ms (and the
 * JVM's own DNS cache applies).
 *
 * <p>Shared by everything that talks to the service (resolves, the change subscription), so a
 * replica one of them found dead is avoided by the others too. Thread-safe.
 */
public final class ResolverEndpoints {
  public static final Duration DEFAULT_FIRST_BACKOFF = Duration.ofSeconds(1);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
  private static final long LOOKUP_EVERY_MILLIS = 30_000;

  /** Finds every address of a host name (the JVM's resolver in production). */
  public interface AddressLookup {
    InetAddress[] allByName(String host) throws UnknownHostException;
  }

  /** Dials names as given: no lookup of their addresses. */
  private static final AddressLookup NO_LOOKUP =
      host -> {
        throw new UnknownHostException(host);
      };

  private final List<URI> urls;
  private final Clock clock;
  private final long firstBackoffMillis;
  private final long maxBackoffMillis;
  private final AddressLookup lookup;

  /** The URIs dialled, in order, each with its back-off state. */
  private Map<URI, State> targets = new LinkedHashMap<>();

  /** For a URI dialled by address ("host:port" of the address), the name it was looked up from. */
  private volatile Map<String, String> names = Collections.emptyMap();

  private long lookedUpAt = Long.MIN_VALUE;

  private static final class State {
    long avoidUntil;
    int failures;
  }

  public ResolverEndpoints(List<URI> urls) {
    this(
        urls,
        Clock.systemUTC(),
        DEFAULT_FIRST_BACKOFF,
        DEFAULT_MAX_BACKOFF,
        InetAddress::getAllByName);
  }

  public ResolverEndpoints(
      List<URI> urls, Clock clock, Duration firstBackoff, Duration maxBackoff) {
    this(urls, clock, firstBackoff, maxBackoff, NO_LOOKUP);
  }

  public ResolverEndpoints(
      List<URI> urls,
      Clock clock,
      Duration firstBackoff,
      Duration maxBackoff,
      AddressLookup lookup) {
    if (urls.isEmpty()) {
      throw new IllegalArgumentException("no resolver URL");
    }
    this.urls = Collections.unmodifiableList(new ArrayList<>(urls));
    this.clock = clock;
    this.firstBackoffMillis = firstBackoff.toMillis();
    this.maxBackoffMillis = maxBackoff.toMillis();
    this.lookup = lookup;
    for (URI url : urls) {
      targets.put(url, new State());
    }
  }

  /** The configured base URLs, in order. */
  public List<URI> urls() {
    return urls;
  }

  /**
   * The replica to ask next: the first, in configured order, that is not in back-off and not in
   * {@code tried}; if all untried ones are in back-off, the untried one whose back-off ends first;
   * null when every replica has been tried.
   */
  public URI next(Collection<URI> tried) {
    refreshAddresses();
    synchronized (this) {
      long now = clock.millis();
      URI soonest = null;
      long soonestUntil = Long.MAX_VALUE;
      for (Map.Entry<URI, State> target : targets.entrySet()) {
        if (tried.contains(target.getKey())) {
          continue;
        }
        long until = target.getValue().avoidUntil;
        if (until <= now) {
          return target.getKey();
        }
        if (until < soonestUntil) {
          soonest = target.getKey();
          soonestUntil = until;
        }
      }
      return soonest;
    }
  }

  /** The replica to ask when nothing has been tried yet. */
  public URI next() {
    return next(Collections.emptySet());
  }

  /** The replica answered (any answer from the service itself, including a refusal). */
  public synchronized void reportSuccess(URI url) {
    State s = targets.get(url);
    if (s != null) {
      s.failures = 0;
      s.avoidUntil = 0;
    }
  }

  /**
   * The replica could not be reached, timed out or answered 5xx: avoid it for a while, longer after
   * each further failure in a row.
   */
  public synchronized void reportFailure(URI url) {
    State s = targets.get(url);
    if (s == null) {
      return;
    }
    s.failures = Math.min(s.failures + 1, 20);
    long backoff = firstBackoffMillis << Math.min(s.failures - 1, 16);
    s.avoidUntil = clock.millis() + Math.min(backoff, maxBackoffMillis);
  }

  /** Whether the replica is in back-off now (for diagnostics and tests). */
  public synchronized boolean avoided(URI url) {
    State s = targets.get(url);
    return s != null && s.avoidUntil > clock.millis();
  }

  /** How many replicas there are to ask (a name with several addresses counts each). */
  public int size() {
    refreshAddresses();
    synchronized (this) {
      return targets.size();
    }
  }

  /**
   * The host name a replica dialled by address was looked up from, for TLS (server name and
   * certificate check); null when {@code host:port} is not such a replica.
   */
  public String hostNameFor(String host, int port) {
    refreshAddresses();
    return names.get(host + ":" + port);
  }

  /** Whether some replica is dialled by address in place of its name. */
  public boolean dialsByAddress() {
    refreshAddresses();
    return !names.isEmpty();
  }

  /** Looks the names up again when the last lookup is old enough (outside the lock: DNS blocks). */
  private void refreshAddresses() {
    if (lookup == NO_LOOKUP) {
      return;
    }
    long now = clock.millis();
    synchronized (this) {
      if (lookedUpAt != Long.MIN_VALUE && now - lookedUpAt < LOOKUP_EVERY_MILLIS) {
        return;
      }
      lookedUpAt = now;
    }
    List<URI> dialled = new ArrayList<>();
    Map<String, String> byAddress = new HashMap<>();
    for (URI url : urls) {
      List<URI> addresses = addressesOf(url);
      if (addresses.size() < 2) {
        dialled.add(url);
        continue;
      }
      for (URI address : addresses) {
        dialled.add(address);
        String literal = address.getHost();
        byAddress.put(literal + ":" + port(address), url.getHost());
        if (literal.startsWith("[")) {
          byAddress.put(
              literal.substring(1, literal.length() - 1) + ":" + port(address), url.getHost());
        }
      }
    }
    synchronized (this) {
      Map<URI, State> next = new LinkedHashMap<>();
      for (URI uri : dialled) {
        State kept = targets.get(uri);
        next.put(uri, kept != null ? kept : new State());
      }
      targets = next;
      names = Collections.unmodifiableMap(byAddress);
    }
  }

  /** {@code url} once per address of its host name; empty for an IP literal or an unknown name. */
  private List<URI> addressesOf(URI url) {
    String host = url.getHost();
    List<URI> out = new ArrayList<>();
    if (host == null || host.startsWith("[") || host.matches("[0-9]+(\\.[0-9]+){3}")) {
      return out;
    }
    InetAddress[] all;
    try {
      all = lookup.allByName(host);
    } catch (UnknownHostException | SecurityException e) {
      // dialled by name: the HttpClient reports the failure
      return out;
    }
    for (InetAddress address : all) {
      String literal =
          address instanceof Inet6Address
              ? address.getHostAddress().replaceFirst("%.*$", "")
              : address.getHostAddress();
      try {
        // an IPv6 literal gets its brackets from this constructor
        out.add(
            new URI(
                url.getScheme(),
                url.getUserInfo(),
                literal,
                port(url),
                url.getPath(),
                url.getQuery(),
                url.getFragment()));
      } catch (URISyntaxException e) {
        return new ArrayList<>();
      }
    }
    return out;
  }

  private static int port(URI url) {
    if (url.getPort() >= 0) {
      return url.getPort();
    }
    return "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
  }

  @Override
  public String toString() {
    return urls.size() == 1 ? urls.get(0).toString() : urls.toString();
  }
}
