package dev.alter.agent.installer;

import dev.alter.agent.bootstrap.AlterCredentialException;
import dev.alter.agent.bootstrap.ClientHookCheck;
import dev.alter.agent.tooling.HookSet;
import dev.alter.agent.tooling.InstrumentationModule;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The entry points' check ({@link ClientHookCheck}): a hook set is covered in a class loader when
 * every type of one of its variants is there and was woven with its hooked methods found. Types not
 * yet loaded are loaded (not initialised) here, which weaves them, so the answer is known before
 * the request goes further. A covered answer is remembered per client class; a refusal is worked
 * out again for each tagged request (only those ask), so it names the current reason. SECURITY.md
 * invariant 7: a tagged request on a client without its hooks would go out without its credential.
 */
final class HookCoverage implements ClientHookCheck {
  private final Map<String, HookSet> sets = new HashMap<>();
  private final WovenTypes woven;

  /**
   * The hook sets found covered, per client class that asked (its loader decides the answer): a
   * {@link ClassValue} rather than a map keyed by loader, because every tagged request asks, and a
   * synchronised weak map's lock and sweep showed in the tagged path's profile. Like a weak map, it
   * does not keep the class or its loader alive.
   */
  private final ClassValue<Covered> covered =
      new ClassValue<Covered>() {
        @Override
        protected Covered computeValue(Class<?> clientType) {
          return new Covered();
        }
      };

  HookCoverage(List<InstrumentationModule> modules, WovenTypes woven) {
    this.woven = woven;
    for (InstrumentationModule module : modules) {
      for (HookSet set : module.hookSets()) {
        sets.put(set.name(), set);
      }
    }
  }

  @Override
  public void require(String hookSet, Class<?> clientType, String grantId)
      throws AlterCredentialException {
    Covered known = covered.get(clientType);
    if (known.contains(hookSet)) {
      return;
    }
    HookSet set = sets.get(hookSet);
    String problem =
        set == null ? "no hook set named " + hookSet : problem(set, clientType.getClassLoader());
    if (problem == null) {
      known.add(hookSet);
      return;
    }
    String client = set == null ? hookSet : set.client();
    throw new AlterCredentialException(
        AlterCredentialException.CLIENT_NOT_SUPPORTED,
        grantId,
        client
            + " "
            + ClientVersion.of(clientType)
            + " ("
            + clientType.getName()
            + ") is not covered by the agent: "
            + problem,
        "use "
            + client
            + (set == null ? "" : " " + set.supported())
            + " or another supported client (docs/clients.md; java -jar alter-agent.jar check"
            + " <class path> lists what the agent covers)");
  }

  /**
   * @return null when a variant of {@code set} is complete in {@code loader}, else why not (the
   *     reason of the first variant whose types are there at all)
   */
  private String problem(HookSet set, ClassLoader loader) {
    String first = null;
    for (HookSet.Variant variant : set.variants()) {
      String problem = problem(variant, loader);
      if (problem == null) {
        return null;
      }
      if (first == null && load(variant.required().get(0), loader) != null) {
        first = problem;
      }
    }
    return first != null
        ? first
        : "none of the classes the agent hooks in " + set.client() + " is present";
  }

  private String problem(HookSet.Variant variant, ClassLoader loader) {
    for (String name : variant.required()) {
      Class<?> type = load(name, loader);
      String problem = type == null ? name + " is absent" : problem(name, type);
      if (problem != null) {
        return problem;
      }
    }
    for (String name : variant.ifPresent()) {
      Class<?> type = load(name, loader);
      String problem = type == null ? null : problem(name, type);
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  private String problem(String name, Class<?> type) {
    WovenTypes.Record record = woven.get(type.getClassLoader(), name);
    if (record == null) {
      return name + " was not instrumented";
    }
    switch (record.outcome) {
      case HOOKED:
        return null;
      case NO_HOOK_POINT:
        return name + " has no method the hook fits (" + record.detail + ")";
      default:
        return "instrumenting " + name + " failed (" + record.detail + ")";
    }
  }

  /** Loads without initialising; the transformer weaves it if this is its first load. */
  private static Class<?> load(String name, ClassLoader loader) {
    try {
      return Class.forName(name, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
  }

  /**
   * The names of the hook sets found covered for one client class: a class asks for one or two, and
   * a tagged request reads this on every call, so a copy-on-write array (the names are constants,
   * which {@code equals} matches by identity first) costs less than a concurrent set.
   */
  static final class Covered {
    private volatile String[] names = new String[0];

    boolean contains(String hookSet) {
      for (String name : names) {
        if (name.equals(hookSet)) {
          return true;
        }
      }
      return false;
    }

    synchronized void add(String hookSet) {
      if (!contains(hookSet)) {
        String[] grown = Arrays.copyOf(names, names.length + 1);
        grown[names.length] = hookSet;
        names = grown;
      }
    }
  }
}
