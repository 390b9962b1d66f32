package dev.alter.service;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polls a condition until it holds or the (generous) time is up. */
final class Eventually {
  private Eventually() {}

  static void within(Duration limit, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + limit);
      }
      Thread.sleep(50);
    }
  }
}
