package dev.alter.it.springboot.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.SpringBootVersion;
import org.springframework.core.SpringVersion;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * Reads {@code call <client> <url> <grant>} lines from stdin and answers each with one JSON line on
 * stdout: the status and body, or the failure as the app sees it (every exception of the cause
 * chain, and the code and grant id of the agent's exception where one is in it), and what the app's
 * interceptors or filters saw. The first line announces the versions; {@code exit} (or the end of
 * stdin) stops the app, so a start-up benchmark can time a run that makes no call.
 */
@Component
class CommandRunner implements CommandLineRunner {
  private final AppClients clients;
  private final ObjectMapper json;

  CommandRunner(AppClients clients, ObjectMapper json) {
    this.clients = clients;
    this.json = json;
  }

  @Override
  public void run(String... args) throws Exception {
    Map<String, Object> ready = new LinkedHashMap<>();
    ready.put("ready", true);
    ready.put("spring_boot_version", SpringBootVersion.getVersion());
    ready.put("java_version", Runtime.version().feature());
    ready.put("spring_version", SpringVersion.getVersion());
    ready.put(
        "reactor_netty_version",
        reactor.netty.http.client.HttpClient.class.getPackage().getImplementationVersion());
    ready.put("app_class_loader", getClass().getClassLoader().getClass().getName());
    ready.put("factories", clients.factories());
    print(ready);
    if (args.length > 0 && args[0].equals("--exit")) {
      return;
    }
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null && !line.equals("exit")) {
      if (line.isBlank()) {
        continue;
      }
      print(call(line.trim().split(" ")));
    }
  }

  private Map<String, Object> call(String[] words) {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("client", words[1]);
    clients.drainObserved();
    try {
      ResponseEntity<String> response = clients.client(words[1]).get(words[2], words[3]);
      report.put("status", response.getStatusCode().value());
      report.put("body", response.getBody());
    } catch (RuntimeException e) {
      report.put("error", failure(e));
    }
    report.put("observed", clients.drainObserved());
    return report;
  }

  private static Map<String, Object> failure(Throwable error) {
    Map<String, Object> failure = new LinkedHashMap<>();
    List<String> chain = new ArrayList<>();
    for (Throwable t = error; t != null && chain.size() < 10; t = t.getCause()) {
      chain.add(t.getClass().getName() + ": " + t.getMessage());
      Object code = invoke(t, "code");
      if (code != null && !failure.containsKey("code")) {
        failure.put("code", code);
        failure.put("grant_id", invoke(t, "grantId"));
        failure.put("class", t.getClass().getName());
        failure.put("message", t.getMessage());
      }
    }
    failure.put("chain", chain);
    return failure;
  }

  private static Object invoke(Throwable t, String name) {
    try {
      Method method = t.getClass().getMethod(name);
      return method.getParameterCount() == 0 ? method.invoke(t) : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  private void print(Map<String, Object> report) throws Exception {
    String line = json.writeValueAsString(report);
    synchronized (System.out) {
      System.out.println(line);
      System.out.flush();
    }
  }
}
