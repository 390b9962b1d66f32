package dev.alter.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.alter.service.store.AuditBatchWriter;
import dev.alter.service.store.AuditEvent;
import dev.alter.service.store.AuditRepository;
import dev.alter.service.store.Database;
import dev.alter.service.store.StoreUnavailableException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Group commit of audit events: nothing returns before it is committed, nothing is lost. */
@ParameterizedClass(name = "{0}")
@EnumSource(Backend.class)
class AuditBatchWriterTest {
  private static final int THREADS = 24;
  private static final int EVENTS_PER_THREAD = 20;

  @Parameter Backend backend;

  private static AuditEvent event(String id) {
    return new AuditEvent(
        0,
        id,
        System.currentTimeMillis(),
        "app:key_test",
        "resolve",
        "app_test",
        null,
        "grt_test",
        null,
        "api.example.com",
        "allowed",
        null,
        null);
  }

  private static Set<String> storedIds(Database db) throws Exception {
    try (Connection c = db.dataSource().getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT event_id FROM audit_events")) {
      Set<String> ids = new HashSet<>();
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
      c.rollback();
      return ids;
    }
  }

  private static Database open(TestStore store) {
    return Database.open(
        store.jdbcUrl,
        store.jdbcUrl == null ? null : TestStore.PG_USER,
        store.jdbcUrl == null ? null : TestStore.PG_PASSWORD,
        store.dataDir);
  }

  @Test
  void concurrentEventsAreAllCommittedBeforeTheirCallersReturnAndShareTransactions()
      throws Exception {
    try (TestStore store = TestStore.create(backend, AuditBatchWriterTest.class);
        Database db = open(store)) {
      AuditBatchWriter writer = new AuditBatchWriter(db, new AuditRepository());
      CyclicBarrier start = new CyclicBarrier(THREADS);
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      try {
        List<Future<List<String>>> results = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          int thread = t;
          results.add(
              pool.submit(
                  () -> {
                    start.await();
                    List<String> missing = new ArrayList<>();
                    for (int i = 0; i < EVENTS_PER_THREAD; i++) {
                      String id = "evt_t" + thread + "_" + i;
                      writer.append(event(id));
                      // committed means visible to any other connection the moment append returns
                      if (!storedIds(db).contains(id)) {
                        missing.add(id);
                      }
                    }
                    return missing;
                  }));
        }
        for (Future<List<String>> r : results) {
          assertThat(r.get(120, TimeUnit.SECONDS))
              .as("events not visible when append returned")
              .isEmpty();
        }
      } finally {
        pool.shutdownNow();
      }
      Set<String> expected = new HashSet<>();
      for (int t = 0; t < THREADS; t++) {
        for (int i = 0; i < EVENTS_PER_THREAD; i++) {
          expected.add("evt_t" + t + "_" + i);
        }
      }
      assertThat(storedIds(db)).isEqualTo(expected);
      assertThat(writer.transactions())
          .as("concurrent events share batch transactions")
          .isLessThan(THREADS * EVENTS_PER_THREAD);
    }
  }

  @Test
  void aBatchThatCannotBeCommittedFailsEveryWaitingCaller() throws Exception {
    try (TestStore store = TestStore.create(backend, AuditBatchWriterTest.class);
        Database db = open(store)) {
      AuditBatchWriter writer = new AuditBatchWriter(db, new AuditRepository());
      writer.append(event("evt_before"));
      ((HikariDataSource) db.dataSource()).close();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<?>> results = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          String id = "evt_after_" + i;
          results.add(
              pool.submit(
                  () -> {
                    assertThatThrownBy(() -> writer.append(event(id)))
                        .isInstanceOf(StoreUnavailableException.class);
                    return null;
                  }));
        }
        for (Future<?> r : results) {
          r.get(60, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(writer.transactions()).isEqualTo(1);
    }
  }
}
