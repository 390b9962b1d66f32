package dev.alter.agent.injection.aws;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Calls a client library's public API on an object of the application's class loader. Methods are
 * looked up on the library's public type (not the object's class, which is often a private or
 * anonymous subclass), loaded from the loader that defined the object.
 */
public final class Reflective {
  private Reflective() {}

  /**
   * The named public type as the object's own class loader sees it, if the object is one; else
   * null.
   */
  public static Class<?> publicType(Object object, String typeName) {
    for (Class<?> c = object.getClass(); c != null; c = c.getSuperclass()) {
      if (c.getName().equals(typeName)) {
        return c;
      }
    }
    try {
      Class<?> type = Class.forName(typeName, false, object.getClass().getClassLoader());
      return type.isInstance(object) ? type : null;
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
  }

  public static Method method(Class<?> type, String name, Class<?>... parameters) {
    try {
      return type.getMethod(name, parameters);
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  /**
   * Invokes and unwraps the target's exception: a {@link BoundedDigest.OverLimit} thrown by our own
   * stream from inside the library comes back as itself.
   */
  public static Object invoke(Method method, Object target, Object... args) throws Exception {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      for (Throwable t = e.getCause(); t != null; t = t.getCause() == t ? null : t.getCause()) {
        if (t instanceof BoundedDigest.OverLimit) {
          throw (BoundedDigest.OverLimit) t;
        }
      }
      throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
    }
  }
}
