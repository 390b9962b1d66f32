package dev.alter.bench.child;

/**
 * One client family as an application uses it: a long-lived client object that sends a GET and
 * reads the whole response. The one header it adds is the app's own key, or {@code alter-grant}
 * when the loop is tagged, the way an app tags requests for the agent.
 */
public interface LoopClient extends AutoCloseable {
  String GRANT_HEADER = "alter-grant";

  /** Sends one GET with {@code header: value} (no header when null); answers the status. */
  int get(String url, String header, String value) throws Exception;

  @Override
  void close() throws Exception;

  /** The client families measured; {@link #create(String)} takes their names. */
  static LoopClient create(String family) {
    switch (family) {
      case "jdk":
        return new JdkLoopClient();
      case "okhttp":
        return new OkHttpLoopClient();
      case "apache-classic":
        return new ApacheClassicLoopClient();
      case "apache-async":
        return new ApacheAsyncLoopClient();
      case "reactor-netty":
        return new ReactorNettyLoopClient();
      case "jetty":
        return new JettyLoopClient();
      default:
        throw new IllegalArgumentException(
            "unknown client family "
                + family
                + " (jdk, okhttp, apache-classic, apache-async, reactor-netty, jetty)");
    }
  }
}
