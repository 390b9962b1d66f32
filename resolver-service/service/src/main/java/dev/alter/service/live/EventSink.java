package dev.alter.service.live;

import java.io.IOException;

/** Where one subscription's server-sent events go (the HTTP layer's open response). */
public interface EventSink {
  /**
   * Writes one event and flushes it.
   *
   * @param id the change sequence for {@code change} events, else null
   */
  void send(String event, Long id, String data) throws IOException;

  /** Ends the response; the agent reconnects. */
  void close();
}
