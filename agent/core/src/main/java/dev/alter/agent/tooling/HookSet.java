package dev.alter.agent.tooling;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The hooked types one kind of client needs woven (with their {@link
 * TypeInstrumentation#hookedMethods()} found) in its class loader before a tagged request may go
 * through it. A client release line may hook different types than another one, so a set holds
 * alternatives ({@link Variant}); the client is covered when one variant is complete.
 */
public final class HookSet {
  private final String name;
  private final String client;
  private final String entryPoints;
  private final String supported;
  private final List<Variant> variants;

  private HookSet(
      String name, String client, String entryPoints, String supported, List<Variant> variants) {
    this.name = name;
    this.client = client;
    this.entryPoints = entryPoints;
    this.supported = supported;
    this.variants = Collections.unmodifiableList(new ArrayList<>(variants));
  }

  /**
   * @param name what the entry-point advice passes, e.g. {@code okhttp}
   * @param client the client as users know it, e.g. {@code OkHttp}
   * @param entryPoints where tagged requests are checked, for messages and the check command
   * @param supported the releases the hooks are verified against, e.g. {@code 3.5 to 5.x}
   */
  public static HookSet of(
      String name, String client, String entryPoints, String supported, Variant... variants) {
    List<Variant> list = new ArrayList<>();
    Collections.addAll(list, variants);
    return new HookSet(name, client, entryPoints, supported, list);
  }

  public String name() {
    return name;
  }

  public String client() {
    return client;
  }

  public String entryPoints() {
    return entryPoints;
  }

  public String supported() {
    return supported;
  }

  public List<Variant> variants() {
    return variants;
  }

  /** One release line's hooked types. */
  public static final class Variant {
    private final String releases;
    private final List<String> required;
    private final List<String> ifPresent;

    private Variant(String releases, List<String> required, List<String> ifPresent) {
      this.releases = releases;
      this.required = required;
      this.ifPresent = ifPresent;
    }

    /**
     * @param releases e.g. {@code 3.14 to 5.x}
     * @param required binary names that must be present and hooked
     */
    public static Variant of(String releases, String... required) {
      List<String> list = new ArrayList<>();
      Collections.addAll(list, required);
      return new Variant(releases, Collections.unmodifiableList(list), Collections.emptyList());
    }

    /**
     * Types of an optional jar (e.g. HTTP/2 support): hooked if present, fine if absent (the client
     * cannot use that protocol then).
     */
    public Variant ifPresent(String... names) {
      List<String> list = new ArrayList<>(ifPresent);
      Collections.addAll(list, names);
      return new Variant(releases, required, Collections.unmodifiableList(list));
    }

    public String releases() {
      return releases;
    }

    public List<String> required() {
      return required;
    }

    public List<String> ifPresent() {
      return ifPresent;
    }
  }
}
