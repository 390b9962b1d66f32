package dev.alter.service.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code alter_http_requests} timer of each (method, route template, status), built once:
 * looking a meter up through the registry's builder on every request sorts and hashes its tags each
 * time. Routes are templates and statuses a small set, so the map stays small.
 */
final class RequestTimers {
  private record Key(String method, String route, int status) {}

  private final MeterRegistry registry;
  private final ConcurrentHashMap<Key, Timer> timers = new ConcurrentHashMap<>();

  RequestTimers(MeterRegistry registry) {
    this.registry = registry;
  }

  Timer of(String method, String route, int status) {
    return timers.computeIfAbsent(
        new Key(method, route, status),
        k ->
            Timer.builder("alter_http_requests")
                .description("HTTP requests by route and status")
                .tags(
                    "method",
                    k.method(),
                    "route",
                    k.route(),
                    "status",
                    Integer.toString(k.status()))
                .publishPercentileHistogram()
                .register(registry));
  }
}
