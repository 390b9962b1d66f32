package dev.alter.it.urlconnection;

import com.stripe.StripeClient;
import com.stripe.net.ApiResource;
import com.stripe.net.RawRequestOptions;
import com.stripe.net.StripeResponse;
import dev.alter.it.child.ChildReport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An application using the Stripe Java SDK the way its docs show, with two Alter-specific choices
 * only: a placeholder API key (the SDK insists on one) and the grant added as an extra header
 * through the SDK's request options. The API base points at the stand-in provider (as tests and
 * proxies do). Arguments: the API base URL. Commands on stdin: {@code balance <grant>} (a GET) and
 * {@code customer <grant>} (a form POST), each through the SDK's default HttpURLConnection client.
 */
public final class StripeSdkApp {
  public static void main(String[] args) throws Exception {
    StripeClient stripe =
        StripeClient.builder()
            .setApiKey("sk_test_placeholder")
            .setApiBase(args[0])
            .setMaxNetworkRetries(0)
            .build();
    ChildReport.create()
        .put("ready", true)
        .put("java_version", Runtime.version().feature())
        .print();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] words = line.trim().split(" ");
      if (words.length != 2) {
        continue;
      }
      RawRequestOptions options =
          RawRequestOptions.builder().setAdditionalHeaders(Map.of("alter-grant", words[1])).build();
      ChildReport report = ChildReport.create();
      try {
        StripeResponse response =
            words[0].equals("customer")
                ? stripe.rawRequest(
                    ApiResource.RequestMethod.POST,
                    "/v1/customers",
                    "email=jenny%40example.com&name=Jenny",
                    options)
                : stripe.rawRequest(ApiResource.RequestMethod.GET, "/v1/balance", null, options);
        report.put("status", response.code()).put("body", response.body());
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
