package dev.alter.it.harness;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Launches an application in its own JVM, optionally under {@code -javaagent}, with a clean
 * environment (no inherited {@code ALTER_*} variables) and a classpath of exactly the entries
 * given. The app reports what it observed as JSON lines on stdout (see {@code
 * dev.alter.it.child.ChildReport}).
 */
public final class ChildJvm {
  private JavaRuntime runtime = JavaRuntime.JDK_17;
  private Path agentJar;
  private String agentArguments;
  private final List<String> jvmArguments =
      new ArrayList<>(
          List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:+UseSerialGC", "-Xmx256m"));
  private final Map<String, String> systemProperties = new LinkedHashMap<>();
  private final Map<String, String> environment = new LinkedHashMap<>();
  private final Set<Path> classpath = new LinkedHashSet<>();
  private String mainClass;
  private Path executableJar;
  private final List<String> arguments = new ArrayList<>();
  private final List<String> launcher = new ArrayList<>();
  private Duration timeout = Duration.ofSeconds(60);

  public static ChildJvm create() {
    return new ChildJvm();
  }

  public ChildJvm runtime(JavaRuntime runtime) {
    this.runtime = runtime;
    return this;
  }

  /** Runs under the real agent jar ({@link Artifacts#agentJar()}). */
  public ChildJvm withAgent() {
    return withAgent(Artifacts.agentJar(), null);
  }

  /**
   * Runs under the given agent jar with {@code -javaagent:jar=arguments} (arguments may be null).
   */
  public ChildJvm withAgent(Path jar, String arguments) {
    this.agentJar = jar;
    this.agentArguments = arguments;
    return this;
  }

  public ChildJvm agentArguments(String arguments) {
    this.agentArguments = arguments;
    return this;
  }

  /** Starts the JVM through this command (e.g. {@code taskset -c 1}), which runs the rest. */
  public ChildJvm launcher(List<String> command) {
    launcher.addAll(command);
    return this;
  }

  public ChildJvm jvmArgument(String argument) {
    jvmArguments.add(argument);
    return this;
  }

  public ChildJvm jvmArguments(List<String> arguments) {
    jvmArguments.addAll(arguments);
    return this;
  }

  public ChildJvm systemProperty(String name, String value) {
    systemProperties.put(name, value);
    return this;
  }

  public ChildJvm env(String name, String value) {
    environment.put(name, value);
    return this;
  }

  /** Points the agent at a resolver service with an app key, through the environment. */
  public ChildJvm resolver(String resolverUrl, String appKey) {
    return env("ALTER_RESOLVER_URL", resolverUrl).env("ALTER_API_KEY", appKey);
  }

  /** Trusts exactly the recording server's certificate. */
  public ChildJvm trusting(TestCertificate certificate) {
    return jvmArguments(certificate.trustStoreProperties());
  }

  public ChildJvm hosts(HostsFile hostsFile) {
    return jvmArgument(hostsFile.jvmArgument());
  }

  public ChildJvm classpathEntry(Path entry) {
    classpath.add(entry.toAbsolutePath());
    return this;
  }

  /** Adds the jar or classes directory each class was loaded from. */
  public ChildJvm classpathOf(Class<?>... classes) {
    for (Class<?> type : classes) {
      classpathEntry(codeSource(type));
    }
    return this;
  }

  /** The app's main class; its code source is added to the classpath. */
  public ChildJvm main(Class<?> mainClass, String... arguments) {
    classpathOf(mainClass);
    this.mainClass = mainClass.getName();
    this.arguments.addAll(Arrays.asList(arguments));
    return this;
  }

  public ChildJvm main(String mainClass, String... arguments) {
    this.mainClass = mainClass;
    this.arguments.addAll(Arrays.asList(arguments));
    return this;
  }

  /** Runs {@code java -jar jar arguments}, as a Spring Boot fat jar is started. */
  public ChildJvm executableJar(Path jar, String... arguments) {
    this.executableJar = jar.toAbsolutePath();
    this.arguments.addAll(Arrays.asList(arguments));
    return this;
  }

  public ChildJvm timeout(Duration timeout) {
    this.timeout = timeout;
    return this;
  }

  /** The full command line (for diagnostics; the app key is passed by environment, not here). */
  public List<String> command() {
    if (mainClass == null && executableJar == null) {
      throw new IllegalStateException("no main class");
    }
    List<String> command = new ArrayList<>(launcher);
    command.add(runtime.javaExecutable().toString());
    if (agentJar != null) {
      command.add(
          "-javaagent:"
              + agentJar
              + (agentArguments == null || agentArguments.isEmpty() ? "" : "=" + agentArguments));
    }
    command.addAll(jvmArguments);
    for (Map.Entry<String, String> p : systemProperties.entrySet()) {
      command.add("-D" + p.getKey() + "=" + p.getValue());
    }
    if (!classpath.isEmpty()) {
      command.add("-cp");
      StringBuilder cp = new StringBuilder();
      for (Path entry : classpath) {
        if (cp.length() > 0) {
          cp.append(File.pathSeparatorChar);
        }
        cp.append(entry);
      }
      command.add(cp.toString());
    }
    if (executableJar != null) {
      command.add("-jar");
      command.add(executableJar.toString());
    } else {
      command.add(mainClass);
    }
    command.addAll(arguments);
    return command;
  }

  private ProcessBuilder processBuilder() {
    ProcessBuilder builder = new ProcessBuilder(command());
    Map<String, String> env = builder.environment();
    env.keySet()
        .removeIf(
            name ->
                name.startsWith("ALTER_")
                    || name.equals("JAVA_TOOL_OPTIONS")
                    || name.equals("JDK_JAVA_OPTIONS"));
    env.putAll(environment);
    return builder;
  }

  /** Runs the app to completion (or the timeout, which kills it and fails). */
  public ChildResult run() {
    ProcessBuilder builder = processBuilder();
    long started = System.nanoTime();
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      StreamCollector stdout = new StreamCollector(process.getInputStream(), "stdout");
      StreamCollector stderr = new StreamCollector(process.getErrorStream(), "stderr");
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError(
            "child JVM did not finish within "
                + timeout
                + ": "
                + String.join(" ", builder.command())
                + "\n--- stdout\n"
                + stdout.text(Duration.ofSeconds(2))
                + "\n--- stderr\n"
                + stderr.text(Duration.ofSeconds(2)));
      }
      Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
      return new ChildResult(
          builder.command(),
          process.exitValue(),
          stdout.text(Duration.ofSeconds(10)),
          stderr.text(Duration.ofSeconds(10)),
          elapsed);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + builder.command(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Starts a long-running app that takes commands on stdin and answers with JSON lines. */
  public RunningChild start() {
    ProcessBuilder builder = processBuilder();
    try {
      return new RunningChild(builder.command(), builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + builder.command(), e);
    }
  }

  static Path codeSource(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalArgumentException("no code source for " + type, e);
    }
  }

  static String decode(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
