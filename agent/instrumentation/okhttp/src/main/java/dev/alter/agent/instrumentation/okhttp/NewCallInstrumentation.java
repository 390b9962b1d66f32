package dev.alter.agent.instrumentation.okhttp;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.alter.agent.bootstrap.AlterBridge;
import dev.alter.agent.tooling.AdviceFromClassFile;
import dev.alter.agent.tooling.TypeInstrumentation;
import java.io.IOException;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import okhttp3.Request;

/**
 * {@code OkHttpClient.newCall(Request)}, public and unchanged since OkHttp 3.0: a tagged request on
 * an OkHttp whose codec hooks are not woven (a release with other internals, or a weave failure)
 * fails here with {@code client_not_supported}, before a call exists. The exception is an {@link
 * IOException} thrown from a method that does not declare one; applications meet it where they
 * write {@code client.newCall(request).execute()} inside their I/O error handling.
 */
public final class NewCallInstrumentation implements TypeInstrumentation {
  static final String HOOK_SET = "okhttp";

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return named("okhttp3.OkHttpClient");
  }

  @Override
  public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder) {
    return builder.visit(
        AdviceFromClassFile.on(
            NewCallInstrumentation.class,
            "RequireHooksAdvice",
            isPublic()
                .and(named("newCall"))
                .and(takesArguments(1))
                .and(takesArgument(0, named("okhttp3.Request")))));
  }

  /** Inlined into OkHttp: JDK, OkHttp and bootstrap classes only. */
  public static final class RequireHooksAdvice {
    private RequireHooksAdvice() {}

    @Advice.OnMethodEnter
    public static void enter(@Advice.Argument(0) Request request, @Advice.Origin Class<?> client)
        throws IOException {
      String grant = request.header(AlterBridge.GRANT_HEADER);
      if (grant != null) {
        AlterBridge.requireHooks("okhttp", client, grant);
      }
    }
  }
}
