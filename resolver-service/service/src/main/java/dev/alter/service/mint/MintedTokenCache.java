package dev.alter.service.mint;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Minted tokens of this process, one per secret, reused until shortly before they expire and minted
 * once at a time per secret however many resolves ask at once (single flight). Tokens live only in
 * memory: a restart mints anew. Failures are not kept: the next resolve asks again.
 */
public final class MintedTokenCache {
  /** A token minted from {@code version} of the secret's credential (or being minted). */
  private record Entry(long version, CompletableFuture<Minted> token) {}

  /**
   * @param version the credential version the token stands for: for a rotating refresh token, the
   *     version its minting stored
   */
  public record Minted(MintedToken token, long version) {}

  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

  /**
   * The secret's token for credential {@code version} (or a newer one), minting it with {@code
   * mint} when there is none that may still be handed out at {@code now}.
   */
  public MintedToken get(String secretId, long version, Instant now, Supplier<Minted> mint) {
    while (true) {
      Entry existing = entries.get(secretId);
      if (existing != null && existing.version() >= version) {
        Minted minted = await(existing, secretId);
        if (minted != null && minted.token().secondsLeft(now) > 0) {
          return minted.token();
        }
      }
      Entry mine = new Entry(version, new CompletableFuture<>());
      boolean claimed =
          existing == null
              ? entries.putIfAbsent(secretId, mine) == null
              : entries.replace(secretId, existing, mine);
      if (!claimed) {
        continue; // another resolve started minting: wait for its token
      }
      try {
        Minted minted = mint.get();
        // a rotating refresh token stored a newer version: file the token under it
        entries.replace(secretId, mine, new Entry(minted.version(), mine.token()));
        mine.token().complete(minted);
        return minted.token();
      } catch (RuntimeException e) {
        entries.remove(secretId, mine);
        mine.token().completeExceptionally(e);
        throw e;
      }
    }
  }

  /** The entry's token once minted; its failure is rethrown to the resolves that waited for it. */
  private static Minted await(Entry entry, String secretId) {
    try {
      return entry.token().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw e;
    }
  }
}
