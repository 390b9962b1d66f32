import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * The demo application: an ordinary java.net.http.HttpClient call that names a grant in the
 * alter-grant header and holds no credential. Under -javaagent:alter-agent.jar the provider
 * receives the stored key; the app's own view of its request still shows only the grant.
 * Arguments: the URL to call and the grant id.
 */
public final class DemoApp {
  public static void main(String[] args) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest request = HttpRequest.newBuilder(URI.create(args[0]))
        .header("alter-grant", args[1])
        .header("Accept", "application/json")
        .build();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    System.out.println("app: " + response.statusCode() + " " + response.body());
    System.out.println("app: headers of its own request, as HttpResponse.request() shows them: "
        + response.request().headers().map());
    boolean appSawKey = response.request().headers().firstValue("DD-API-KEY").isPresent();
    System.out.println("app: holds a DD-API-KEY? " + (appSawKey ? "YES (unexpected)" : "no"));
    System.exit(response.statusCode() == 200 && !appSawKey ? 0 : 1);
  }
}
