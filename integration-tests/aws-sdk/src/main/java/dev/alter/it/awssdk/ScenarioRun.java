package dev.alter.it.awssdk;

import java.net.URI;

/**
 * One run of the scenario, from a command-line argument {@code
 * name,endpoint,addressing,checksum,credentials,goodRef,wrongRef}: {@code addressing} is {@code
 * path} ({@code https://host/bucket/key}) or {@code virtual} ({@code https://bucket.host/key}, the
 * SDK's default for DNS-compatible names); {@code checksum} is {@code default} (the SDK's own
 * WHEN_SUPPORTED) or {@code when_required}; {@code credentials} is {@code grant} (anonymous SDK,
 * the grant id in environment variable {@code goodRef}) or {@code static} (the SDK signs itself
 * with {@code keyId:secret} from environment variable {@code goodRef}). {@code wrongRef} names the
 * environment variable of the wrongly keyed counterpart, or is {@code -} to skip the wrong-key
 * steps. Credentials travel by environment so they never show on a command line.
 */
final class ScenarioRun {
  final String name;
  final URI endpoint;
  final boolean pathStyle;
  final boolean checksumWhenRequired;
  final boolean agentSigns;
  final String goodRef;
  final String wrongRef;

  private ScenarioRun(
      String name,
      URI endpoint,
      boolean pathStyle,
      boolean checksumWhenRequired,
      boolean agentSigns,
      String goodRef,
      String wrongRef) {
    this.name = name;
    this.endpoint = endpoint;
    this.pathStyle = pathStyle;
    this.checksumWhenRequired = checksumWhenRequired;
    this.agentSigns = agentSigns;
    this.goodRef = goodRef;
    this.wrongRef = wrongRef;
  }

  static ScenarioRun parse(String argument) {
    String[] f = argument.split(",", -1);
    if (f.length != 7) {
      throw new IllegalArgumentException(
          "run must be name,endpoint,addressing,checksum,credentials,goodRef,wrongRef: "
              + argument);
    }
    boolean pathStyle;
    switch (f[2]) {
      case "path":
        pathStyle = true;
        break;
      case "virtual":
        pathStyle = false;
        break;
      default:
        throw new IllegalArgumentException("addressing must be path or virtual: " + f[2]);
    }
    boolean whenRequired;
    switch (f[3]) {
      case "default":
        whenRequired = false;
        break;
      case "when_required":
        whenRequired = true;
        break;
      default:
        throw new IllegalArgumentException("checksum must be default or when_required: " + f[3]);
    }
    boolean agentSigns;
    switch (f[4]) {
      case "grant":
        agentSigns = true;
        break;
      case "static":
        agentSigns = false;
        break;
      default:
        throw new IllegalArgumentException("credentials must be grant or static: " + f[4]);
    }
    return new ScenarioRun(f[0], URI.create(f[1]), pathStyle, whenRequired, agentSigns, f[5], f[6]);
  }

  boolean hasWrongKeySteps() {
    return !wrongRef.equals("-");
  }
}
