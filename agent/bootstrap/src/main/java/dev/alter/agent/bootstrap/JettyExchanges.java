package dev.alter.agent.bootstrap;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.SocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLEngine;

/**
 * Jetty {@code HttpClient} 11 and 12 as the advice on its request senders sees it: the decision for
 * one exchange where its sender is about to write the header block ({@code sendHeaders}), and the
 * rewritten copy of the header block that Jetty's HTTP/1.1 generator or HTTP/2 {@code HeadersFrame}
 * then takes instead of the application's.
 *
 * <p>Jetty's selector threads never wait: when the credential is not at hand, {@code sendHeaders}
 * is skipped and called again, with the same arguments, on the client's executor once the resolve
 * has ended; Jetty's send callback completes later anyway. A refusal fails that callback, so the
 * request fails in Jetty's own way (the listeners' failure, {@code send()}'s {@code
 * ExecutionException}) with {@link AlterCredentialException} as the cause, and nothing is written.
 *
 * <p>Jetty 11 and 12 keep these types in different packages, so the advice hands them over as
 * {@link Object} and this class reaches them by reflection, looked up once per class; only tagged
 * requests go beyond reading the request's headers.
 */
public final class JettyExchanges {
  /** The rewrite of the header block the current thread is writing, innermost first. */
  private static final ThreadLocal<Writing> WRITING = new ThreadLocal<>();

  /** Exchanges whose {@code sendHeaders} runs again after a resolve, with its outcome. */
  private static final Map<Object, CompletableFuture<RequestRewrite>> RESUMING =
      new ConcurrentHashMap<>();

  private static final ClassValue<Map<String, Optional<Method>>> METHODS =
      new ClassValue<Map<String, Optional<Method>>>() {
        @Override
        protected Map<String, Optional<Method>> computeValue(Class<?> type) {
          return new ConcurrentHashMap<>();
        }
      };

  private JettyExchanges() {}

  /**
   * Entry of {@code sendHeaders(exchange, content, last, callback)}.
   *
   * @return true when the header block must not be written now: the exchange is held for a resolve
   *     or has been failed
   */
  public static boolean beforeHeaders(
      Object sender, Object exchange, Object content, boolean last, Object callback) {
    Object request;
    Object headers;
    try {
      request = call(exchange, "getRequest");
      headers = call(request, "getHeaders");
    } catch (ReflectiveOperationException | RuntimeException e) {
      fail(callback, notSupported(null, e));
      return true;
    }
    String grant = header(headers, AlterBridge.GRANT_HEADER);
    if (grant == null && header(headers, AlterBridge.IDENTITY_HEADER) == null) {
      return false;
    }
    CompletableFuture<RequestRewrite> outcome = RESUMING.remove(exchange);
    if (outcome == null) {
      try {
        OutgoingRequest outgoing = outgoing(sender, request, headers);
        // the observer is on the request once the (maybe postponed) rewrite has injected it
        AwaitedResponses.expectOnceRewritten(exchange, outgoing);
        if (outgoing == null) {
          outcome = new CompletableFuture<>();
          outcome.completeExceptionally(
              new AlterCredentialException(
                  AlterCredentialException.HOST_NOT_ALLOWED,
                  grant,
                  "the origin this Jetty connection dialled cannot be told",
                  "send tagged requests over TCP or TLS connections"));
        } else {
          outcome = AlterBridge.rewriteWithoutBlocking(outgoing);
        }
      } catch (ReflectiveOperationException | RuntimeException e) {
        fail(callback, notSupported(grant, e));
        return true;
      }
      if (!outcome.isDone()) {
        hold(sender, exchange, content, last, callback, outcome);
        return true;
      }
    }
    RequestRewrite rewrite;
    try {
      rewrite = outcome.getNow(null);
    } catch (CompletionException refused) {
      fail(callback, refused.getCause());
      return true;
    }
    WRITING.set(new Writing(exchange, rewrite, WRITING.get()));
    return false;
  }

  /** Exit of {@code sendHeaders}: the header block of {@code exchange} is written (or failed). */
  public static void afterHeaders(Object exchange) {
    Writing writing = WRITING.get();
    if (writing == null || writing.exchange != exchange) {
      return;
    }
    if (writing.outer == null) {
      WRITING.remove();
    } else {
      WRITING.set(writing.outer);
    }
  }

  /**
   * The header block to write in place of {@code metaData}: a rewritten copy while a tagged
   * request's {@code sendHeaders} runs on this thread, otherwise {@code metaData} itself. The
   * application's request and its headers are never changed.
   */
  public static Object headerBlock(Object metaData) {
    Writing writing = WRITING.get();
    if (writing == null || metaData == null || metaData == writing.copy) {
      return metaData;
    }
    if (metaData == writing.original) {
      return writing.copy;
    }
    try {
      if (!Boolean.TRUE.equals(call(metaData, "isRequest"))) {
        return metaData;
      }
      Object copy = rewritten(metaData, writing.rewrite);
      writing.original = metaData;
      writing.copy = copy;
      return copy;
    } catch (ReflectiveOperationException | RuntimeException e) {
      // the credential cannot be put in: the original would go out without it, with alter-grant
      throw new IllegalStateException(
          "the Alter agent could not rewrite Jetty's request headers ("
              + e.getClass().getName()
              + "); the request was not sent");
    }
  }

  /** Entry of {@code responseHeaders(exchange)}: the status the exchange's response got. */
  public static void responded(Object exchange) {
    try {
      Object status = call(call(exchange, "getResponse"), "getStatus");
      if (status instanceof Integer) {
        AwaitedResponses.responded(exchange, (Integer) status);
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      // counts are best effort: the application's response is never touched
    }
  }

  /** The {@code alter-grant} of a Jetty request, or null; for the entry-point check. */
  public static String grantOf(Object request) {
    try {
      return header(call(request, "getHeaders"), AlterBridge.GRANT_HEADER);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  private static void hold(
      Object sender,
      Object exchange,
      Object content,
      boolean last,
      Object callback,
      CompletableFuture<RequestRewrite> outcome) {
    Executor executor;
    try {
      Object channel = call(sender, "getHttpChannel");
      Object client = call(call(channel, "getHttpDestination"), "getHttpClient");
      executor = (Executor) call(client, "getExecutor");
    } catch (ReflectiveOperationException | RuntimeException e) {
      executor = Runnable::run; // the resolve's own completion thread, never a selector
    }
    Executor resumeOn = executor;
    outcome.whenComplete(
        (rewrite, error) -> {
          try {
            resumeOn.execute(() -> resume(sender, exchange, content, last, callback, outcome));
          } catch (RuntimeException rejected) {
            fail(callback, rejected);
          }
        });
  }

  private static void resume(
      Object sender,
      Object exchange,
      Object content,
      boolean last,
      Object callback,
      CompletableFuture<RequestRewrite> outcome) {
    RESUMING.put(exchange, outcome);
    try {
      Method sendHeaders = method(sender.getClass(), "sendHeaders", 4);
      sendHeaders.invoke(sender, exchange, content, last, callback);
    } catch (InvocationTargetException e) {
      RESUMING.remove(exchange);
      fail(callback, e.getCause());
    } catch (ReflectiveOperationException | RuntimeException e) {
      RESUMING.remove(exchange);
      fail(callback, e);
    }
  }

  private static OutgoingRequest outgoing(Object sender, Object request, Object headers)
      throws ReflectiveOperationException {
    Object channel = call(sender, "getHttpChannel");
    Object connection = call(channel, "getHttpConnection");
    Object endPoint = callIfPresent(connection, "getEndPoint");
    if (endPoint == null) {
      endPoint = call(call(connection, "getSession"), "getEndPoint"); // HTTP/2
    }
    Object remote = callIfPresent(endPoint, "getRemoteSocketAddress");
    if (remote == null) {
      remote = callIfPresent(endPoint, "getRemoteAddress");
    }
    SSLEngine tls = null;
    Object sslConnection = callIfPresent(endPoint, "getSslConnection");
    if (sslConnection != null) {
      tls = (SSLEngine) call(sslConnection, "getSSLEngine");
    }
    String path = (String) call(request, "getPath");
    String query = (String) call(request, "getQuery");
    OutgoingRequest outgoing =
        DialledPeer.request(
            (String) call(request, "getMethod"),
            tls == null ? null : tls.getPeerHost(),
            tls == null ? -1 : tls.getPeerPort(),
            remote instanceof SocketAddress ? (SocketAddress) remote : null,
            query == null ? path : path + "?" + query);
    if (outgoing == null) {
      return null;
    }
    FieldReader fields = new FieldReader();
    for (Object field : (Iterable<?>) headers) {
      outgoing.header(fields.name(field), fields.value(field));
    }
    Object body = callIfPresent(request, "getBody");
    if (body == null) {
      outgoing.body(OutgoingBody.none());
    } else {
      long length = (Long) call(body, "getLength");
      // the content itself: the jetty-client module's reader hashes it if it can be read again
      outgoing.body(
          length == 0 ? OutgoingBody.none() : OutgoingBody.clientObject(OutgoingBody.JETTY, body));
    }
    return outgoing;
  }

  /** A new {@code MetaData.Request}: the fields rewritten, the target too when the rewrite says. */
  private static Object rewritten(Object metaData, RequestRewrite rewrite)
      throws ReflectiveOperationException {
    HeaderBlockTypes types = HEADER_BLOCK_TYPES.get(metaData.getClass()).require();
    Object fields = callFirst(metaData, "getHttpFields", "getFields");
    Object uri = callFirst(metaData, "getHttpURI", "getURI");
    Object trailers = callFirst(metaData, "getTrailersSupplier", "getTrailerSupplier");
    Object sent = types.newFields.invoke(null);
    FieldReader reader = new FieldReader();
    for (Object field : (Iterable<?>) fields) {
      String name = reader.name(field);
      if (!removes(rewrite, name)) {
        types.addField.invoke(sent, field);
      }
    }
    for (int i = 0; i < rewrite.addCount(); i++) {
      types.addNameValue.invoke(sent, rewrite.addName(i), rewrite.addValue(i));
    }
    if (rewrite.pathAndQuery() != null) {
      Object built = types.newUri.invoke(null, uri);
      method(built.getClass(), "pathQuery", 1).invoke(built, rewrite.pathAndQuery());
      uri = call(built, "asImmutable");
    }
    return types.newRequest.newInstance(
        call(metaData, "getMethod"),
        uri,
        call(metaData, "getHttpVersion"),
        sent,
        call(metaData, "getContentLength"),
        trailers);
  }

  private static boolean removes(RequestRewrite rewrite, String name) {
    if (AlterBridge.isAlterHeader(name)) {
      return true;
    }
    for (String removed : rewrite.removeHeaders()) {
      if (removed.equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  /** The first value of a header, any case, from a Jetty {@code HttpFields}. */
  private static String header(Object headers, String name) {
    if (headers == null) {
      return null;
    }
    try {
      // the common case, an untagged request, in one call: HttpFields.contains(String) ignores case
      Optional<Method> contains = CONTAINS.get(headers.getClass());
      if (contains.isPresent() && !Boolean.TRUE.equals(contains.get().invoke(headers, name))) {
        return null;
      }
      FieldReader fields = new FieldReader();
      for (Object field : (Iterable<?>) headers) {
        if (name.equalsIgnoreCase(fields.name(field))) {
          return fields.value(field);
        }
      }
      return null;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e.getClass().getName());
    }
  }

  private static AlterCredentialException notSupported(String grant, Throwable cause) {
    return new AlterCredentialException(
        AlterCredentialException.CLIENT_NOT_SUPPORTED,
        grant,
        "this Jetty HttpClient's request objects do not fit the agent's hooks ("
            + cause.getClass().getName()
            + ")",
        "use Jetty HttpClient 11 or 12, or report this; the request was not sent");
  }

  private static void fail(Object callback, Throwable failure) {
    try {
      Method failed = method(callback.getClass(), "failed", 1);
      failed.invoke(callback, failure);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException(
          "the Alter agent could not fail Jetty's request (" + e.getClass().getName() + ")");
    }
  }

  private static Object callFirst(Object target, String name, String otherName)
      throws ReflectiveOperationException {
    Optional<Method> first = lookup(target.getClass(), name, 0);
    return first.isPresent() ? first.get().invoke(target) : call(target, otherName);
  }

  private static Object call(Object target, String name) throws ReflectiveOperationException {
    return method(target.getClass(), name, 0).invoke(target);
  }

  private static Object callIfPresent(Object target, String name)
      throws ReflectiveOperationException {
    Optional<Method> method = lookup(target.getClass(), name, 0);
    return method.isPresent() ? method.get().invoke(target) : null;
  }

  private static Method method(Class<?> type, String name, int parameters)
      throws NoSuchMethodException {
    return lookup(type, name, parameters)
        .orElseThrow(() -> new NoSuchMethodException(type.getName() + "." + name));
  }

  /**
   * A method of the class or a superclass by name and arity, made accessible once. Keyed by the
   * name alone for the no-argument getters every request calls, so the lookup allocates nothing.
   */
  private static Optional<Method> lookup(Class<?> type, String name, int parameters) {
    Map<String, Optional<Method>> methods = METHODS.get(type);
    String key = parameters == 0 ? name : name + "/" + parameters;
    Optional<Method> known = methods.get(key);
    if (known != null) {
      return known;
    }
    return methods.computeIfAbsent(
        key,
        absent -> {
          for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
              if (m.getName().equals(name)
                  && m.getParameterCount() == parameters
                  && !m.isBridge()) {
                m.setAccessible(true);
                return Optional.of(m);
              }
            }
          }
          for (Method m : type.getMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == parameters) {
              m.setAccessible(true);
              return Optional.of(m);
            }
          }
          return Optional.empty();
        });
  }

  /** {@code HttpFields.contains(String)} of one fields class (absent on none we support). */
  private static final ClassValue<Optional<Method>> CONTAINS =
      new ClassValue<Optional<Method>>() {
        @Override
        protected Optional<Method> computeValue(Class<?> type) {
          try {
            Method m = type.getMethod("contains", String.class);
            m.setAccessible(true);
            return Optional.of(m);
          } catch (NoSuchMethodException | RuntimeException e) {
            return Optional.empty();
          }
        }
      };

  /** What {@link #rewritten} needs of one Jetty, by its {@code MetaData.Request} class. */
  private static final ClassValue<HeaderBlockTypes> HEADER_BLOCK_TYPES =
      new ClassValue<HeaderBlockTypes>() {
        @Override
        protected HeaderBlockTypes computeValue(Class<?> metaDataType) {
          return new HeaderBlockTypes(metaDataType.getClassLoader());
        }
      };

  /**
   * Jetty's header-block types and the methods that build a copy of one, looked up once per Jetty
   * (class loading and {@code getMethod} cost microseconds, too much for every tagged request).
   */
  private static final class HeaderBlockTypes {
    Method newFields;
    Method addField;
    Method addNameValue;
    Method newUri;
    java.lang.reflect.Constructor<?> newRequest;
    ReflectiveOperationException missing;

    HeaderBlockTypes(ClassLoader loader) {
      try {
        Class<?> fieldsType = Class.forName("org.eclipse.jetty.http.HttpFields", false, loader);
        Class<?> fieldType = Class.forName("org.eclipse.jetty.http.HttpField", false, loader);
        Class<?> uriType = Class.forName("org.eclipse.jetty.http.HttpURI", false, loader);
        Class<?> versionType = Class.forName("org.eclipse.jetty.http.HttpVersion", false, loader);
        newFields = fieldsType.getMethod("build");
        // the builder class HttpFields.build() answers; its add methods are public on a class
        // that may not be
        Class<?> builderType = newFields.invoke(null).getClass();
        addField = accessible(builderType.getMethod("add", fieldType));
        addNameValue = accessible(builderType.getMethod("add", String.class, String.class));
        newUri = uriType.getMethod("build", uriType);
        newRequest =
            Class.forName("org.eclipse.jetty.http.MetaData$Request", false, loader)
                .getConstructor(
                    String.class,
                    uriType,
                    versionType,
                    fieldsType,
                    long.class,
                    java.util.function.Supplier.class);
      } catch (ReflectiveOperationException e) {
        missing = e;
      }
    }

    private static Method accessible(Method method) {
      method.setAccessible(true);
      return method;
    }

    HeaderBlockTypes require() throws ReflectiveOperationException {
      if (missing != null) {
        throw missing;
      }
      return this;
    }
  }

  /**
   * Reads the name and value of a header block's fields, looking their getters up once per field
   * class (a block's fields are of one or two classes).
   */
  private static final class FieldReader {
    private Class<?> type;
    private Method getName;
    private Method getValue;

    String name(Object field) throws ReflectiveOperationException {
      return (String) methodsOf(field).getName.invoke(field);
    }

    String value(Object field) throws ReflectiveOperationException {
      return (String) methodsOf(field).getValue.invoke(field);
    }

    private FieldReader methodsOf(Object field) throws NoSuchMethodException {
      if (field.getClass() != type) {
        getName = method(field.getClass(), "getName", 0);
        getValue = method(field.getClass(), "getValue", 0);
        type = field.getClass();
      }
      return this;
    }
  }

  /** One tagged header block being written on this thread. */
  private static final class Writing {
    final Object exchange;
    final RequestRewrite rewrite;
    final Writing outer;
    Object original;
    Object copy;

    Writing(Object exchange, RequestRewrite rewrite, Writing outer) {
      this.exchange = exchange;
      this.rewrite = rewrite;
      this.outer = outer;
    }
  }
}
