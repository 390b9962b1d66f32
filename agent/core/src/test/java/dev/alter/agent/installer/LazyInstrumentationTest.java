package dev.alter.agent.installer;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Proxy;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LazyInstrumentationTest {
  private static final String HOOKED = "okhttp3.internal.connection.Exchange";
  private static final String HOOKED_INTERNAL = "okhttp3/internal/connection/Exchange";
  private static final byte[] ORIGINAL = {1, 2, 3};
  private static final byte[] WOVEN = {4, 5, 6};
  private static final ClassLoader APP = new ClassLoader(null) {};
  private static final ClassLoader AGENT = new ClassLoader(null) {};

  /** Stands in for Byte Buddy: counts how often it is started and which classes it sees. */
  private static final class CountingActivation implements LazyInstrumentation.Activation {
    final AtomicInteger starts = new AtomicInteger();
    final AtomicInteger started = new AtomicInteger();
    final List<String> transformed = new CopyOnWriteArrayList<>();
    volatile RuntimeException failure;
    volatile Runnable duringStart = () -> {};

    @Override
    public ClassFileTransformer start() {
      starts.incrementAndGet();
      duringStart.run();
      if (failure != null) {
        throw failure;
      }
      return new ClassFileTransformer() {
        @Override
        public byte[] transform(
            Module module,
            ClassLoader loader,
            String className,
            Class<?> redefined,
            ProtectionDomain domain,
            byte[] bytes) {
          transformed.add(className);
          return WOVEN;
        }
      };
    }

    @Override
    public void started() {
      started.incrementAndGet();
    }
  }

  private static byte[] load(LazyInstrumentation lazy, ClassLoader loader, String internalName) {
    return lazy.transform(null, loader, internalName, null, null, ORIGINAL);
  }

  @Test
  void classesNobodyHooksNeverStartByteBuddy() {
    CountingActivation activation = new CountingActivation();
    LazyInstrumentation lazy = new LazyInstrumentation(Set.of(HOOKED), AGENT, activation);

    assertThat(load(lazy, APP, "com/example/Main")).isNull();
    assertThat(load(lazy, null, "java/lang/String")).isNull();
    assertThat(load(lazy, null, null)).isNull();

    assertThat(activation.starts).hasValue(0);
    assertThat(lazy.isActive()).isFalse();
  }

  @Test
  void firstHookedClassStartsByteBuddyAndIsWovenInTheSameLoad() {
    CountingActivation activation = new CountingActivation();
    LazyInstrumentation lazy = new LazyInstrumentation(Set.of(HOOKED), AGENT, activation);

    assertThat(load(lazy, APP, HOOKED_INTERNAL)).isEqualTo(WOVEN);
    assertThat(load(lazy, APP, "com/example/Other")).isNull();
    assertThat(load(lazy, APP, HOOKED_INTERNAL)).isEqualTo(WOVEN);

    assertThat(activation.starts).hasValue(1);
    assertThat(activation.started).hasValue(1);
    assertThat(activation.transformed).containsExactly(HOOKED_INTERNAL, HOOKED_INTERNAL);
  }

  @Test
  void theAgentsOwnClassesAreNeverHandedToByteBuddy() {
    CountingActivation activation = new CountingActivation();
    LazyInstrumentation lazy = new LazyInstrumentation(Set.of(HOOKED), AGENT, activation);

    assertThat(load(lazy, AGENT, HOOKED_INTERNAL)).isNull();
    assertThat(activation.starts).hasValue(0);
  }

  @Test
  void concurrentFirstLoadsStartByteBuddyOnceAndAllAreWoven() throws Exception {
    CountingActivation activation = new CountingActivation();
    CountDownLatch manyWaiting = new CountDownLatch(1);
    activation.duringStart =
        () -> {
          try {
            manyWaiting.await(200, TimeUnit.MILLISECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    LazyInstrumentation lazy = new LazyInstrumentation(Set.of(HOOKED), AGENT, activation);
    List<Thread> threads = new ArrayList<>();
    List<byte[]> results = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 8; i++) {
      Thread t = new Thread(() -> results.add(load(lazy, APP, HOOKED_INTERNAL)));
      threads.add(t);
      t.start();
    }
    manyWaiting.countDown();
    for (Thread t : threads) {
      t.join(10_000);
    }

    assertThat(results).hasSize(8).allSatisfy(bytes -> assertThat(bytes).isEqualTo(WOVEN));
    assertThat(activation.starts).hasValue(1);
    assertThat(activation.started).hasValue(1);
  }

  @Test
  void aHookedClassLoadedByByteBuddysOwnStartIsLeftAloneInsteadOfRecursing() {
    CountingActivation activation = new CountingActivation();
    LazyInstrumentation[] lazy = new LazyInstrumentation[1];
    List<byte[]> nested = new ArrayList<>();
    activation.duringStart = () -> nested.add(load(lazy[0], APP, HOOKED_INTERNAL));
    lazy[0] = new LazyInstrumentation(Set.of(HOOKED), AGENT, activation);

    assertThat(load(lazy[0], APP, HOOKED_INTERNAL)).isEqualTo(WOVEN);
    assertThat(nested).containsExactly((byte[]) null);
    assertThat(activation.starts).hasValue(1);
  }

  @Test
  void whenByteBuddyCannotStartTheClassLoadsUnchangedAndItIsNotRetriedOnEveryLoad() {
    CountingActivation activation = new CountingActivation();
    activation.failure = new IllegalStateException("no Byte Buddy here");
    LazyInstrumentation lazy = new LazyInstrumentation(Set.of(HOOKED), AGENT, activation);

    assertThat(load(lazy, APP, HOOKED_INTERNAL)).isNull();
    assertThat(load(lazy, APP, HOOKED_INTERNAL)).isNull();
    assertThat(activation.starts).hasValue(1);
    assertThat(activation.started).hasValue(0);
  }

  @Test
  void hookedClassesLoadedBeforeTheAgentAreRetransformedAtInstall() {
    CountingActivation activation = new CountingActivation();
    // a class of the set that is already loaded: this test class stands in for it
    String loadedName = LazyInstrumentationTest.class.getName();
    RecordingInstrumentation recorder =
        new RecordingInstrumentation(LazyInstrumentationTest.class, String.class);
    LazyInstrumentation lazy =
        new LazyInstrumentation(Set.of(loadedName, HOOKED), AGENT, activation);

    lazy.install(recorder.proxy());

    assertThat(recorder.added).containsExactly(lazy);
    assertThat(recorder.retransformed).containsExactly(LazyInstrumentationTest.class);
    assertThat(activation.starts).hasValue(1);
    assertThat(lazy.isActive()).isTrue();
  }

  @Test
  void withNothingHookedLoadedInstallOnlyRegistersTheFilter() {
    CountingActivation activation = new CountingActivation();
    RecordingInstrumentation recorder = new RecordingInstrumentation(String.class);
    LazyInstrumentation lazy = new LazyInstrumentation(Set.of(HOOKED), AGENT, activation);

    lazy.install(recorder.proxy());

    assertThat(recorder.added).containsExactly(lazy);
    assertThat(recorder.retransformed).isEmpty();
    assertThat(activation.starts).hasValue(0);
  }

  /** The few {@link Instrumentation} calls install makes, recorded. */
  private static final class RecordingInstrumentation {
    final List<Object> added = new ArrayList<>();
    final List<Class<?>> retransformed = new ArrayList<>();
    private final Class<?>[] loaded;

    RecordingInstrumentation(Class<?>... loaded) {
      this.loaded = loaded;
    }

    Instrumentation proxy() {
      return (Instrumentation)
          Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {Instrumentation.class},
              (proxy, method, args) -> {
                switch (method.getName()) {
                  case "addTransformer":
                    assertThat(args).hasSize(2).contains(true);
                    added.add(args[0]);
                    return null;
                  case "getAllLoadedClasses":
                    return loaded.clone();
                  case "isModifiableClass":
                    return true;
                  case "retransformClasses":
                    for (Object type : (Object[]) args[0]) {
                      retransformed.add((Class<?>) type);
                    }
                    return null;
                  default:
                    throw new UnsupportedOperationException(method.getName());
                }
              });
    }
  }
}
