package dev.alter.agent.bootstrap;

/**
 * Told the status of the response to one injected request (implemented by the agent core's usage
 * counters). Called on the client's own thread: implementations only count.
 */
public interface ResponseObserver {
  void responded(int status);
}
