package dev.alter.agent.instrumentation.apache.httpclient4;

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
 * Applies advice read from its class file. The advice names Apache types that the agent's
 * isolated class loader cannot load, so {@code Advice.to(SomeAdvice.class)} (which reflects on
 * the loaded class) would fail there; the advice is described from its bytes instead, with every
 * type it mentions resolved through the pool of the class being instrumented, whose loader sees
 * Apache. (The same technique as the apache-httpclient-5 module; each module keeps its own copy
 * so instrumentation modules stay independent of each other.)
 */
final class AdviceFromClassFile implements AsmVisitorWrapper {
  private final String adviceClassName;
  private final ElementMatcher<? super MethodDescription> methods;

  private AdviceFromClassFile(String adviceClassName, ElementMatcher<? super MethodDescription> methods) {
    this.adviceClassName = adviceClassName;
    this.methods = methods;
  }

  /** @param nestedAdvice simple name of a nested advice class of {@code holder} */
  static AsmVisitorWrapper on(Class<?> holder, String nestedAdvice,
      ElementMatcher<? super MethodDescription> methods) {
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
  public ClassVisitor wrap(TypeDescription instrumentedType, ClassVisitor classVisitor,
      Implementation.Context implementationContext, TypePool typePool,
      FieldList<FieldDescription.InDefinedShape> fields, MethodList<?> methodList,
      int writerFlags, int readerFlags) {
    ClassFileLocator adviceLocator = ClassFileLocator.ForClassLoader.of(AdviceFromClassFile.class.getClassLoader());
    TypePool advicePool = new TypePool.Default(new TypePool.CacheProvider.Simple(), adviceLocator,
        TypePool.Default.ReaderMode.FAST, typePool);
    TypeDescription advice = advicePool.describe(adviceClassName).resolve();
    return Advice.to(advice, adviceLocator).on(methods).wrap(instrumentedType, classVisitor,
        implementationContext, typePool, fields, methodList, writerFlags, readerFlags);
  }
}
