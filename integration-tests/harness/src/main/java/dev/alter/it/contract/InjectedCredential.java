package dev.alter.it.contract;

import dev.alter.it.harness.ChildRequest;
import dev.alter.it.harness.ClientWorld;

/**
 * One of {@link ClientWorld}'s secrets as a test request uses it: where to send, which grant to
 * tag, and the header the provider must receive.
 */
public final class InjectedCredential {
  public final String url;
  public final String grant;
  public final String key;
  public final String header;
  public final String wireValue;

  /** The app's own value of {@link #header}, replaced by the agent; null if the app sets none. */
  public final String placeholder;

  private InjectedCredential(
      String url, String grant, String key, String header, String wireValue, String placeholder) {
    this.url = url;
    this.grant = grant;
    this.key = key;
    this.header = header;
    this.wireValue = wireValue;
    this.placeholder = placeholder;
  }

  /** {@code DD-API-KEY: <key>}, added to a request that has no such header. */
  public static InjectedCredential datadog(ClientWorld world) {
    return new InjectedCredential(
        world.datadogOrigin() + "/api/v1/validate",
        world.datadogGrant,
        world.datadogKey,
        "DD-API-KEY",
        world.datadogKey,
        null);
  }

  /** {@code Authorization: Bearer <key>}, replacing the app's placeholder. */
  public static InjectedCredential stripe(ClientWorld world) {
    return new InjectedCredential(
        world.stripeOrigin() + "/v1/balance",
        world.stripeGrant,
        world.stripeKey,
        "Authorization",
        "Bearer " + world.stripeKey,
        "Bearer placeholder");
  }

  /** A GET to {@link #url} tagged with {@link #grant}, with the placeholder where there is one. */
  public ChildRequest request() {
    ChildRequest request = ChildRequest.get(url).grant(grant);
    return placeholder == null ? request : request.header(header, placeholder);
  }
}
