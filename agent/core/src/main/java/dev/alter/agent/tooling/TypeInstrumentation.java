package dev.alter.agent.tooling;

import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;

/** One hooked type: which classes to transform and the advice to weave into them. */
public interface TypeInstrumentation {
  /** Keep it narrow (usually {@code named(...)}): it is evaluated for every loaded class. */
  ElementMatcher<TypeDescription> typeMatcher();

  /** Narrows by class loader, e.g. to loaders that can see a marker class of the right version. */
  default ElementMatcher<ClassLoader> classLoaderMatcher() {
    return ElementMatchers.any();
  }

  /** E.g. {@code return builder.visit(Advice.to(MyAdvice.class).on(named("writeRequestHeaders")));} */
  DynamicType.Builder<?> transform(DynamicType.Builder<?> builder);
}
