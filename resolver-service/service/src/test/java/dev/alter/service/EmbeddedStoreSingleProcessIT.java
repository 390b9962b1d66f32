package dev.alter.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The embedded H2 store belongs to one process: a second service started on the same data directory
 * is refused with a message that says so and what to do instead, and the first one keeps serving.
 */
class EmbeddedStoreSingleProcessIT {
  private TestStore store;
  private Path work;

  @BeforeEach
  void createStore() {
    store = TestStore.create(Backend.H2, EmbeddedStoreSingleProcessIT.class);
    work = store.dataDir.resolve("process");
  }

  @AfterEach
  void dropStore() {
    store.close();
  }

  @Test
  void aSecondProcessOnTheSameDataDirectoryIsRefusedAndTheFirstKeepsServing() throws Exception {
    try (ServiceProcess first =
        ServiceProcess.launch(work.resolve("first"), ServiceProcess.storeEnvironment(store))) {
      String url = first.awaitReady();
      try (ServiceProcess second =
          ServiceProcess.launch(work.resolve("second"), ServiceProcess.storeEnvironment(store))) {
        assertThat(second.awaitExit()).as(second.output()).isEqualTo(1);
        assertThat(second.output())
            .contains("is in use by another process")
            .contains("the embedded H2 store serves one process")
            .contains("ALTER_DB_URL");
      }
      assertThat(new ApiClient(url).get("/readyz", null).status()).isEqualTo(200);
    }
  }
}
