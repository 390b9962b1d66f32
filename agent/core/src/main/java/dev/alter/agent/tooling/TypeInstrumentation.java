package dev.alter.agent.tooling;

import java.util.Set;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;

/** One hooked type: which classes to transform and the advice to weave into them. */
public interface TypeInstrumentation {
  /** Keep it narrow (usually {@code named(...)}): it is evaluated for every loaded class. */
  ElementMatcher<TypeDescription> typeMatcher();

  /**
   * Every binary name ({@code a.b.C$D}) {@link #typeMatcher()} can accept, or null when that is not
   * a fixed list. The installer brings Byte Buddy in only when a class of one of these names loads;
   * null makes it start Byte Buddy at once and match every class. The default reads the names out
   * of {@code named}/{@code namedOneOf} matchers (and {@code or}/{@code and} of them); override it
   * only for a matcher it cannot read, and keep it in step with the matcher.
   */
  default Set<String> typeNames() {
    return MatchedTypeNames.of(typeMatcher());
  }

  /** Narrows by class loader, e.g. to loaders that can see a marker class of the right version. */
  default ElementMatcher<ClassLoader> classLoaderMatcher() {
    return ElementMatchers.any();
  }

  /**
   * The methods whose advice puts the credential on the wire (or decides it), when this type is
   * such a hook; null (the default) for the types whose advice only helps (logs, retries, entry
   * checks). A hooked type in which none of these methods is found counts as not hooked, so the
   * family's entry point refuses tagged requests ({@code client_not_supported}); {@code java -jar
   * alter-agent.jar check} reports the same. Use the same matcher in {@link #transform}.
   */
  default ElementMatcher<MethodDescription> hookedMethods() {
    return null;
  }

  /**
   * Weaves nested advice classes, always through {@link AdviceFromClassFile}, e.g. {@code return
   * builder.visit(AdviceFromClassFile.on(MyInstrumentation.class, "MyAdvice",
   * named("writeRequestHeaders")));}
   */
  DynamicType.Builder<?> transform(DynamicType.Builder<?> builder);
}
