package dev.alter.it.awssdk;

import java.net.URI;

/**
 * One run of the scenario, from a command-line argument
 * {@code name,endpoint,checksum,credentials,goodRef,wrongRef}: {@code checksum} is
 * {@code default} (the SDK's own WHEN_SUPPORTED) or {@code when_required}; {@code credentials} is
 * {@code grant} (anonymous SDK, the grant id in environment variable {@code goodRef}) or
 * {@code static} (the SDK signs itself with {@code keyId:secret} from environment variable
 * {@code goodRef}). {@code wrongRef} names the environment variable of the wrongly keyed
 * counterpart, or is {@code -} to skip the wrong-key steps. Credentials travel by environment so
 * they never show on a command line.
 */
final class ScenarioRun {
  final String name;
  final URI endpoint;
  final boolean checksumWhenRequired;
  final boolean agentSigns;
  final String goodRef;
  final String wrongRef;

  private ScenarioRun(String name, URI endpoint, boolean checksumWhenRequired, boolean agentSigns,
      String goodRef, String wrongRef) {
    this.name = name;
    this.endpoint = endpoint;
    this.checksumWhenRequired = checksumWhenRequired;
    this.agentSigns = agentSigns;
    this.goodRef = goodRef;
    this.wrongRef = wrongRef;
  }

  static ScenarioRun parse(String argument) {
    String[] f = argument.split(",", -1);
    if (f.length != 6) {
      throw new IllegalArgumentException("run must be name,endpoint,checksum,credentials,goodRef,wrongRef: " + argument);
    }
    boolean whenRequired;
    switch (f[2]) {
      case "default": whenRequired = false; break;
      case "when_required": whenRequired = true; break;
      default: throw new IllegalArgumentException("checksum must be default or when_required: " + f[2]);
    }
    boolean agentSigns;
    switch (f[3]) {
      case "grant": agentSigns = true; break;
      case "static": agentSigns = false; break;
      default: throw new IllegalArgumentException("credentials must be grant or static: " + f[3]);
    }
    return new ScenarioRun(f[0], URI.create(f[1]), whenRequired, agentSigns, f[4], f[5]);
  }

  boolean hasWrongKeySteps() {
    return !wrongRef.equals("-");
  }
}
