package dev.alter.bench;

/**
 * How a {@code RequestLoop} child is launched: with or without the agent, tagged or not, and
 * whether it goes to the provider directly or through the sidecar proxy.
 */
enum LoopVariant {
  NO_AGENT("no agent", false, false, false),
  AGENT_UNTAGGED("agent, untagged", true, false, false),
  AGENT_TAGGED("agent, tagged", true, true, false),
  NGINX_PROXY("nginx sidecar adds the header (no agent)", false, false, true);

  final String label;
  final boolean agent;
  final boolean tagged;
  final boolean viaProxy;

  LoopVariant(String label, boolean agent, boolean tagged, boolean viaProxy) {
    this.label = label;
    this.agent = agent;
    this.tagged = tagged;
    this.viaProxy = viaProxy;
  }
}
