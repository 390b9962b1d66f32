package dev.alter.bench.child;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The request loop's threads and their latency buffers, started once and reused by every window, as
 * an app's own pool would be. A thread and a 16 MB buffer per window made each window start with a
 * garbage collection, and with every thread-local (the client's, the JDK's, the agent's) created
 * afresh, which let a window's first requests take paths the JIT had compiled out.
 */
final class LoopThreads {
  /** Latencies one thread records per window at most (8 MB); later requests still run. */
  static final int SAMPLES_PER_THREAD = 1 << 20;

  /**
   * The JIT's compilation time is reported per window: compiling shares the loop's core, so a
   * window in which the JIT was still busy does not show the steady state.
   */
  private static final CompilationMXBean COMPILER = ManagementFactory.getCompilationMXBean();

  private final LoopClient client;
  private final String url;
  private final String header;
  private final String value;
  private final List<Worker> workers = new ArrayList<>();

  LoopThreads(LoopClient client, String url, String header, String value) {
    this.client = client;
    this.url = url;
    this.header = header;
    this.value = value;
  }

  /** Runs {@code threads} loops until {@code millis} have passed and reports the window. */
  JsonLine window(long millis, int threads) throws InterruptedException {
    while (workers.size() < threads) {
      Worker worker = new Worker();
      Thread thread = new Thread(worker, "loop-" + workers.size());
      thread.setDaemon(true);
      thread.start();
      workers.add(worker);
    }
    Window window = new Window(System.nanoTime() + millis * 1_000_000L, threads);
    long compiledBefore = COMPILER.getTotalCompilationTime();
    long started = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      workers.get(t).assignments.put(window);
    }
    window.done.await();
    long elapsed = System.nanoTime() - started;
    long compiledMillis = COMPILER.getTotalCompilationTime() - compiledBefore;
    int total = 0;
    for (int t = 0; t < threads; t++) {
      total += workers.get(t).count;
    }
    long[] all = new long[total];
    int at = 0;
    for (int t = 0; t < threads; t++) {
      Worker worker = workers.get(t);
      System.arraycopy(worker.samples, 0, all, at, worker.count);
      at += worker.count;
    }
    Arrays.sort(all);
    return new JsonLine()
        .put("requests", total)
        .put("errors", window.errors.get())
        .put("first_error", window.firstError.get())
        .put("elapsed_ns", elapsed)
        .put("p50_ns", RequestLoop.percentile(all, 0.50))
        .put("p99_ns", RequestLoop.percentile(all, 0.99))
        .put("jit_ms", compiledMillis);
  }

  /** One window as its threads share it. */
  private static final class Window {
    final long deadline;
    final CountDownLatch done;
    final AtomicLong errors = new AtomicLong();
    final AtomicReference<String> firstError = new AtomicReference<>();

    Window(long deadline, int threads) {
      this.deadline = deadline;
      this.done = new CountDownLatch(threads);
    }
  }

  private final class Worker implements Runnable {
    final SynchronousQueue<Window> assignments = new SynchronousQueue<>();
    final long[] samples = new long[SAMPLES_PER_THREAD];

    /** Written before the window's latch counts down, read after it opens. */
    int count;

    @Override
    public void run() {
      try {
        while (true) {
          Window window = assignments.take();
          try {
            count = loop(window);
          } finally {
            window.done.countDown();
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private int loop(Window window) {
      int n = 0;
      while (n < samples.length) {
        long begin = System.nanoTime();
        if (begin >= window.deadline) {
          break;
        }
        try {
          int status = client.get(url, header, value);
          if (status != 200) {
            window.errors.incrementAndGet();
            window.firstError.compareAndSet(null, "status " + status);
            continue;
          }
        } catch (Exception e) {
          window.errors.incrementAndGet();
          window.firstError.compareAndSet(null, e.toString());
          continue;
        }
        samples[n++] = System.nanoTime() - begin;
      }
      return n;
    }
  }
}
