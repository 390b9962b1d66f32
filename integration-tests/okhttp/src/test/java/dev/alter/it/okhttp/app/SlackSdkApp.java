package dev.alter.it.okhttp.app;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiTextResponse;
import com.slack.api.util.http.SlackHttpClient;
import dev.alter.it.child.ChildReport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import okhttp3.OkHttpClient;

/**
 * A bot using the Slack Java SDK (slack-api-client, on OkHttp) the way its docs show, with two
 * Alter-specific choices only: a placeholder bot token (the SDK sends it as {@code Authorization:
 * Bearer …}, which the agent replaces) and {@code alter-grant} added by an interceptor on the
 * OkHttpClient handed to the SDK. The methods URL points at the stand-in (as tests and proxies do).
 * Arguments: the methods URL prefix ({@code https://slack.com:PORT/api/}) and the grant id.
 * Commands on stdin: {@code auth} (auth.test), {@code post} (chat.postMessage) and {@code list}
 * (conversations.list), each answered by one report.
 */
public final class SlackSdkApp {
  public static void main(String[] args) throws Exception {
    SlackConfig config = new SlackConfig();
    config.setMethodsEndpointUrlPrefix(args[0]);
    config.setStatsEnabled(false);
    String grant = args[1];
    OkHttpClient okHttp =
        SlackHttpClient.buildOkHttpClient(config)
            .newBuilder()
            .addInterceptor(
                chain ->
                    chain.proceed(
                        chain.request().newBuilder().header("alter-grant", grant).build()))
            .build();
    MethodsClient slack =
        Slack.getInstance(config, new SlackHttpClient(okHttp)).methods("xoxb-placeholder");
    ChildReport.create().put("ready", true).print();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      ChildReport report = ChildReport.create();
      try {
        SlackApiTextResponse response;
        switch (line.trim()) {
          case "auth":
            response = slack.authTest(r -> r);
            break;
          case "post":
            response = slack.chatPostMessage(r -> r.channel("C0123").text("deploy finished"));
            break;
          case "list":
            response = slack.conversationsList(r -> r.limit(10));
            break;
          default:
            continue;
        }
        report.put("ok", response.isOk()).put("slack_error", String.valueOf(response.getError()));
      } catch (Exception e) {
        report.error(e).put("cause_chain", causes(e));
      }
      report.print();
    }
  }

  private static List<String> causes(Throwable error) {
    List<String> chain = new ArrayList<>();
    for (Throwable t = error; t != null; t = t.getCause()) {
      chain.add(t.getClass().getName() + ": " + t.getMessage());
    }
    return chain;
  }
}
