package dev.alter.agent.tooling;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.field.FieldList;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.MethodList;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;

/**
 * Weaves a nested advice class described from its class file rather than from a loaded class.
 * Advice names the instrumented library's types (OkHttp, Apache, …), which the agent's isolated
 * class loader cannot load, so {@code Advice.to(SomeAdvice.class)} would fail there; here the
 * advice bytes come from the agent loader and every library type they mention is resolved through
 * the type pool of the class being instrumented, whose loader sees the library.
 */
public final class AdviceFromClassFile implements AsmVisitorWrapper {
  private final String adviceClassName;
  private final ElementMatcher<? super MethodDescription> methods;

  private AdviceFromClassFile(
      String adviceClassName, ElementMatcher<? super MethodDescription> methods) {
    this.adviceClassName = adviceClassName;
    this.methods = methods;
  }

  /**
   * @param nestedAdvice simple name of a nested advice class of {@code holder}, given as a string
   *     so that the agent loader never loads it
   */
  public static AsmVisitorWrapper on(
      Class<?> holder, String nestedAdvice, ElementMatcher<? super MethodDescription> methods) {
    return new AdviceFromClassFile(holder.getName() + "$" + nestedAdvice, methods);
  }

  @Override
  public int mergeWriter(int flags) {
    return flags;
  }

  @Override
  public int mergeReader(int flags) {
    return flags;
  }

  @Override
  public ClassVisitor wrap(
      TypeDescription instrumentedType,
      ClassVisitor classVisitor,
      Implementation.Context implementationContext,
      TypePool typePool,
      FieldList<FieldDescription.InDefinedShape> fields,
      MethodList<?> methodList,
      int writerFlags,
      int readerFlags) {
    ClassFileLocator agentClasses =
        ClassFileLocator.ForClassLoader.of(AdviceFromClassFile.class.getClassLoader());
    TypePool advicePool =
        new TypePool.Default(
            new TypePool.CacheProvider.Simple(),
            agentClasses,
            TypePool.Default.ReaderMode.FAST,
            typePool);
    TypeDescription advice = advicePool.describe(adviceClassName).resolve();
    return Advice.to(advice, agentClasses)
        .on(methods)
        .wrap(
            instrumentedType,
            classVisitor,
            implementationContext,
            typePool,
            fields,
            methodList,
            writerFlags,
            readerFlags);
  }
}
