package dev.alter.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.alter.testing.TestIdp;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A running service on a fresh store, with an admin key and helpers to set up fixtures. */
public final class TestService implements AutoCloseable {
  static final List<String> TABLES =
      List.of(
          "apps",
          "api_keys",
          "secrets",
          "credential_versions",
          "grants",
          "audit_events",
          "idps",
          "agents",
          "agent_tokens",
          "user_secret_allowances",
          "user_secrets",
          "change_log",
          "change_log_head");

  final TestStore store;
  final RunningService running;
  final ApiClient api;
  final String adminKey;

  /** Whether closing this service also deletes its store (false when the test reuses the store). */
  private final boolean ownsStore;

  private TestService(TestStore store, RunningService running, String adminKey, boolean ownsStore) {
    this.ownsStore = ownsStore;
    this.store = store;
    this.running = running;
    this.api = new ApiClient(running.baseUrl());
    this.adminKey = adminKey;
  }

  public static TestService start(Backend backend, Class<?> testClass) {
    return start(backend, testClass, Clock.systemUTC());
  }

  /** A service whose "now" is {@code clock}, e.g. a {@link SettableClock} the test pins. */
  public static TestService start(Backend backend, Class<?> testClass, Clock clock) {
    TestStore store = TestStore.create(backend, testClass);
    RunningService running = ResolverService.start(store.config().clock(clock).build());
    return new TestService(store, running, running.generatedAdminKey(), true);
  }

  /** A service on {@code store} with {@code config}; closing it deletes the store. */
  public static TestService startOwning(TestStore store, ServiceConfig config) {
    TestService s = start(store, config);
    return new TestService(store, s.running, s.adminKey, true);
  }

  public static TestService start(TestStore store, ServiceConfig config) {
    RunningService running = ResolverService.start(config);
    String key = running.generatedAdminKey();
    if (key == null && config.adminKeyFile() != null) {
      try {
        key = java.nio.file.Files.readString(config.adminKeyFile()).trim();
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return new TestService(store, running, key, false);
  }

  // ---- fixtures --------------------------------------------------------------------------

  /** Creates an app; returns its JSON (app_id, api_key.key …). */
  JsonNode createApp(String name) {
    ApiClient.Response r =
        api.post("/v1/apps", adminKey, "{\"name\":" + ApiClient.quote(name) + "}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  JsonNode createSecret(String appId, String provider, String credential, String extraJson) {
    String body =
        "{\"app_id\":"
            + ApiClient.quote(appId)
            + ",\"provider\":"
            + ApiClient.quote(provider)
            + ",\"label\":\"test-"
            + provider
            + "\",\"credential\":"
            + ApiClient.quote(credential)
            + (extraJson == null ? "" : "," + extraJson)
            + "}";
    ApiClient.Response r = api.post("/v1/secrets", adminKey, body);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  JsonNode createSystemGrant(String secretId, String label) {
    ApiClient.Response r =
        api.post(
            "/v1/grants",
            adminKey,
            "{\"secret_id\":"
                + ApiClient.quote(secretId)
                + ",\"label\":"
                + ApiClient.quote(label)
                + ",\"principal\":{\"type\":\"system\",\"label\":\"svc\"}}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  /** Registers an IdP whose keys are served by {@code idp}; returns its id. */
  String registerIdp(TestIdp idp, String groupClaim) {
    ApiClient.Response r =
        api.post(
            "/v1/idps",
            adminKey,
            "{\"issuer\":"
                + ApiClient.quote(idp.issuer())
                + ",\"jwks_url\":"
                + ApiClient.quote(idp.jwksUrl())
                + ",\"audiences\":["
                + ApiClient.quote(TestIdp.AUDIENCE)
                + "],\"algorithms\":[\"RS256\",\"ES256\"],\"group_claim\":"
                + ApiClient.quote(groupClaim)
                + "}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.text("idp_id");
  }

  /** Creates a managed agent; returns its JSON (agent_id, token). */
  JsonNode createAgent(String label) {
    ApiClient.Response r =
        api.post("/v1/agents", adminKey, "{\"label\":" + ApiClient.quote(label) + "}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  /** Creates a grant with this principal JSON; returns its id. */
  String createGrant(String secretId, String label, String principalJson) {
    ApiClient.Response r =
        api.post(
            "/v1/grants",
            adminKey,
            "{\"secret_id\":"
                + ApiClient.quote(secretId)
                + ",\"label\":"
                + ApiClient.quote(label)
                + ",\"principal\":"
                + principalJson
                + "}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.text("grant_id");
  }

  // ---- store inspection ------------------------------------------------------------------

  /** Every row of every table, as text, for "nothing changed" assertions. */
  Map<String, List<String>> snapshot() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String table : TABLES) {
      out.put(table, rows(table));
    }
    return out;
  }

  List<String> rows(String table) {
    try (Connection c = running.database().dataSource().getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
      ResultSetMetaData md = rs.getMetaData();
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          Object v = rs.getObject(i);
          sb.append(md.getColumnName(i))
              .append('=')
              .append(v instanceof byte[] b ? Arrays.toString(b) : v)
              .append(';');
        }
        rows.add(sb.toString());
      }
      c.rollback();
      rows.sort(String::compareTo);
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Writes to the store directly and commits, as another service process on the same database
   * would.
   */
  int execute(String sql) {
    try (Connection c = running.database().dataSource().getConnection();
        Statement st = c.createStatement()) {
      int n = st.executeUpdate(sql);
      c.commit();
      return n;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The rows a query answers, each as its column values. */
  List<List<Object>> query(String sql) {
    try (Connection c = running.database().dataSource().getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      List<List<Object>> rows = new ArrayList<>();
      int columns = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (int i = 1; i <= columns; i++) {
          row.add(rs.getObject(i));
        }
        rows.add(row);
      }
      c.rollback();
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs the statements (nulls skipped) in one transaction, as another replica would. */
  void executeAll(String... sql) {
    try (Connection c = running.database().dataSource().getConnection();
        Statement st = c.createStatement()) {
      for (String s : sql) {
        if (s != null) {
          st.execute(s);
        }
      }
      c.commit();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  long count(String sql) {
    try (Connection c = running.database().dataSource().getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      long n = rs.getLong(1);
      c.rollback();
      return n;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      running.close();
    } finally {
      if (ownsStore) {
        store.close();
      }
    }
  }
}
