package dev.alter.agent.resolver;

/** What the change subscription tells as it reads the feed. */
public interface ChangeListener {
  /** A change, in sequence order, before the next one is read. */
  void changed(ChangeEvent event);

  /** The feed no longer holds every change since the agent's sequence: drop everything cached. */
  void lostTrack();
}
