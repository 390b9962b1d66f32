package dev.alter.it.springboot.app;

import io.netty.handler.logging.LogLevel;
import io.netty.resolver.DefaultAddressResolverGroup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.web.client.RestTemplateBuilder;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.client.JettyClientHttpRequestFactory;
import org.springframework.http.client.ReactorClientHttpRequestFactory;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;
import reactor.netty.transport.logging.AdvancedByteBufFormat;

/**
 * The app's HTTP clients, by name, each watched by the app itself: a {@code
 * ClientHttpRequestInterceptor} (RestClient, RestTemplate) or an {@code ExchangeFilterFunction}
 * (WebClient) records the request headers before and after the exchange, and Reactor Netty's {@code
 * wiretap} logs every byte as text.
 */
@Component
public class AppClients {
  /** One GET with the app's own headers; answers the status and the body. */
  interface Client {
    ResponseEntity<String> get(String url, String grant);
  }

  private final Map<String, Client> clients = new LinkedHashMap<>();
  private final Map<String, String> factories = new LinkedHashMap<>();
  private final List<String> observed = new CopyOnWriteArrayList<>();

  AppClients(
      WebClient.Builder webClients,
      RestClient.Builder restClients,
      RestTemplateBuilder restTemplates) {
    HttpClient reactorNetty =
        HttpClient.create()
            // the JDK's resolver, as many apps configure: Netty's own DNS resolver reads
            // /etc/hosts only, and the test names its stand-in hosts in a JDK hosts file
            .resolver(DefaultAddressResolverGroup.INSTANCE)
            .responseTimeout(Duration.ofSeconds(30))
            .wiretap("app.wire", LogLevel.DEBUG, AdvancedByteBufFormat.TEXTUAL);
    WebClient webClient =
        webClients
            .clientConnector(new ReactorClientHttpConnector(reactorNetty))
            .filter(watchingFilter())
            .build();
    clients.put(
        "webclient",
        (url, grant) ->
            webClient
                .get()
                .uri(url)
                .header("alter-grant", grant)
                .header("X-Marker", "app-webclient")
                .retrieve()
                .toEntity(String.class)
                .block(Duration.ofSeconds(30)));
    factories.put("webclient", ReactorClientHttpConnector.class.getName());

    restClient(restClients, "restclient-jdk", new JdkClientHttpRequestFactory());
    restClient(restClients, "restclient-apache", new HttpComponentsClientHttpRequestFactory());
    restClient(restClients, "restclient-urlconnection", new SimpleClientHttpRequestFactory());
    restClient(
        restClients, "restclient-reactor", new ReactorClientHttpRequestFactory(reactorNetty));
    restClient(restClients, "restclient-jetty", new JettyClientHttpRequestFactory());

    // Boot's auto-configured builder picks the request factory from the class path
    RestTemplate restTemplate = restTemplates.additionalInterceptors(watchingInterceptor()).build();
    clients.put(
        "resttemplate",
        (url, grant) ->
            restTemplate.exchange(
                org.springframework.http.RequestEntity.get(url)
                    .header("alter-grant", grant)
                    .header("X-Marker", "app-resttemplate")
                    .build(),
                String.class));
    // the template's own factory wraps this one for the interceptor
    factories.put("resttemplate", restTemplates.build().getRequestFactory().getClass().getName());
  }

  private void restClient(
      RestClient.Builder restClients, String name, ClientHttpRequestFactory factory) {
    RestClient client =
        restClients
            .clone()
            .requestFactory(factory)
            .requestInterceptor(watchingInterceptor())
            .build();
    clients.put(
        name,
        (url, grant) ->
            client
                .method(HttpMethod.GET)
                .uri(url)
                .header("alter-grant", grant)
                .header("X-Marker", "app-" + name)
                .retrieve()
                .toEntity(String.class));
    factories.put(name, factory.getClass().getName());
  }

  private ClientHttpRequestInterceptor watchingInterceptor() {
    return (request, body, execution) -> {
      observed.add("interceptor before: " + request.getHeaders());
      ClientHttpResponse response = execution.execute(request, body);
      observed.add("interceptor after: " + request.getHeaders());
      return response;
    };
  }

  private ExchangeFilterFunction watchingFilter() {
    return (request, next) -> {
      observed.add("filter before: " + request.headers());
      return next.exchange(request)
          .doOnNext(response -> observed.add("filter after: " + request.headers()));
    };
  }

  Map<String, String> factories() {
    return factories;
  }

  Client client(String name) {
    Client client = clients.get(name);
    if (client == null) {
      throw new IllegalArgumentException("no client " + name + "; known: " + clients.keySet());
    }
    return client;
  }

  /** What the app's interceptors and filters saw since the last call of this method. */
  List<String> drainObserved() {
    List<String> seen = new ArrayList<>(observed);
    observed.clear();
    return seen;
  }
}
