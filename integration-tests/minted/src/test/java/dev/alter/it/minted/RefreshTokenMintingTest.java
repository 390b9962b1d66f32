package dev.alter.it.minted;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.it.harness.NewSecret;
import dev.alter.it.harness.RandomHex;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A user's refresh token that Spring Authorization Server rotates on every use, minted at the same
 * moment by two service replicas on one PostgreSQL: the chain survives (each replica refreshes
 * under the secret's row lock from the newest stored token), and after the user withdraws consent
 * the secret needs re-authorisation, without further calls to the provider, until an operator
 * stores a new refresh token. Uses a schema of its own in the {@code test} database on
 * 127.0.0.1:5432; skipped when no PostgreSQL answers, unless {@code ALTER_TEST_PG_REQUIRED=true}.
 */
class RefreshTokenMintingTest {
  private static final String CLIENT_ID = "alter-refresh";
  private static final String CLIENT_SECRET = "client-secret-canary-" + RandomHex.of(16);

  private static LocalAuthorizationServer authorizationServer;
  private static MintingWorld replicaA;
  private static MintingWorld replicaB;

  @BeforeAll
  static void start() {
    String jdbcUrl = ownSchema();
    authorizationServer = LocalAuthorizationServer.start();
    authorizationServer.registerRefreshClient(CLIENT_ID, CLIENT_SECRET);
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    // replicas of one deployment share the master key
    Map<String, String> shared =
        Map.of("ALTER_MASTER_KEY", Base64.getEncoder().encodeToString(key));
    replicaA = new MintingWorld("refresh-a", jdbcUrl, shared);
    replicaB = new MintingWorld("refresh-b", jdbcUrl, shared, replicaA.app);
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {replicaB, replicaA, authorizationServer}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // best effort
      }
    }
  }

  private static NewSecret refreshSecret(String refreshToken) {
    return NewSecret.provider(replicaA.app.appId, "oauth2-refresh-token", refreshToken)
        .credentialPart("client_id", CLIENT_ID)
        .credentialPart("client_secret", CLIENT_SECRET)
        .credentialPart("token_endpoint", authorizationServer.tokenEndpoint())
        .destinations(replicaA.provider.origin(), replicaB.provider.origin())
        .allowPlainHttp(true);
  }

  @Test
  void twoReplicasMintingAtOnceKeepOneRefreshChainAndAWithdrawnConsentNeedsReauthorization()
      throws Exception {
    String firstRefreshToken = "rt-canary-" + RandomHex.of(24);
    String authorization = authorizationServer.authorize(CLIENT_ID, "jane", firstRefreshToken);
    String secretId = replicaA.admin.storeSecretId(refreshSecret(firstRefreshToken));
    String grant = replicaA.admin.createSystemGrant(secretId, "mail");
    int before = authorizationServer.tokenRequests();

    CompletableFuture<String> onA =
        CompletableFuture.supplyAsync(() -> replicaA.bearerReceived(grant));
    CompletableFuture<String> onB =
        CompletableFuture.supplyAsync(() -> replicaB.bearerReceived(grant));
    String tokenA = onA.get();
    String tokenB = onB.get();

    // each replica minted once, the second from the refresh token the first stored
    assertThat(authorizationServer.tokenRequests() - before).isEqualTo(2);
    assertThat(tokenA).isNotEqualTo(tokenB);
    assertThat(authorizationServer.verify(tokenA).getSubject()).isEqualTo("jane");
    assertThat(authorizationServer.verify(tokenB).getSubject()).isEqualTo("jane");
    assertThat(version(secretId)).isEqualTo(3);
    assertThat(authorizationServer.currentRefreshToken(authorization))
        .isNotEqualTo(firstRefreshToken);

    // both replicas restarted (their minted tokens gone): the stored refresh token is the live one
    restart(replicaA);
    restart(replicaB);
    String afterRestart = replicaB.admin.createSystemGrant(secretId, "mail-2");
    assertThat(authorizationServer.verify(replicaB.bearerReceived(afterRestart)).getSubject())
        .isEqualTo("jane");
    assertThat(version(secretId)).isEqualTo(4);
    assertThat(replicaA.admin.audit(Map.of("secret_id", secretId)).toString())
        .contains("secret.refresh_token_rotated");

    // the user withdraws consent: invalid_grant marks the secret, and no replica asks again
    authorizationServer.withdraw(authorization);
    restart(replicaA);
    String afterWithdrawal = replicaA.admin.createSystemGrant(secretId, "mail-3");
    int beforeWithdrawal = authorizationServer.tokenRequests();
    replicaA.failsClosed(afterWithdrawal, "reauthorization_required");
    restart(replicaB);
    replicaB.failsClosed(
        replicaB.admin.createSystemGrant(secretId, "mail-4"), "reauthorization_required");
    assertThat(authorizationServer.tokenRequests() - beforeWithdrawal).isEqualTo(1);

    // the operator stores the refresh token of a new consent: resolves work again, same secret
    String newRefreshToken = "rt-new-canary-" + RandomHex.of(24);
    authorizationServer.authorize(CLIENT_ID, "jane", newRefreshToken);
    replicaA.admin.call(
        "PUT",
        "/v1/secrets/" + secretId + "/credential",
        Map.of(
            "credential",
            newRefreshToken,
            "credential_parts",
            Map.of(
                "client_id",
                CLIENT_ID,
                "client_secret",
                CLIENT_SECRET,
                "token_endpoint",
                authorizationServer.tokenEndpoint())));
    String afterReauthorization = replicaA.admin.createSystemGrant(secretId, "mail-5");
    assertThat(
            authorizationServer.verify(replicaA.bearerReceived(afterReauthorization)).getSubject())
        .isEqualTo("jane");

    for (String canary : new String[] {CLIENT_SECRET, firstRefreshToken, newRefreshToken}) {
      replicaA.assertNowhere(canary);
      replicaB.assertNowhere(canary);
    }
  }

  /** A restart empties the replica's memory of minted tokens. */
  private static void restart(MintingWorld replica) {
    replica.service.stop();
    replica.service.restart();
  }

  private static long version(String secretId) {
    JsonNode secret = replicaA.admin.call("GET", "/v1/secrets/" + secretId, null);
    return secret.path("version").asLong();
  }

  private static String ownSchema() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", 5432), 1_000);
    } catch (IOException e) {
      String reason = "PostgreSQL does not answer on 127.0.0.1:5432";
      if ("true".equalsIgnoreCase(System.getenv("ALTER_TEST_PG_REQUIRED"))) {
        throw new IllegalStateException(reason + " (ALTER_TEST_PG_REQUIRED=true)", e);
      }
      Assumptions.abort(reason);
    }
    String base =
        System.getenv().getOrDefault("ALTER_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    return base
        + (base.contains("?") ? "&" : "?")
        + "user=postgres&currentSchema=alter_minted_"
        + Long.toHexString(System.nanoTime());
  }
}
