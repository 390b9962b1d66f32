package dev.alter.agent.injection.aws;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The body readers of the installed instrumentation modules, by body family. The installer adds a
 * module's readers before it weaves that module's advice, so a client's body object can reach the
 * signer only once its reader is here. One per JVM, like the bridge the advice calls.
 */
public final class ClientBodyReaders {
  private static final Map<String, ClientBodyReader> BY_FAMILY = new ConcurrentHashMap<>();

  private ClientBodyReaders() {}

  public static void register(List<ClientBodyReader> readers) {
    for (ClientBodyReader reader : readers) {
      BY_FAMILY.put(reader.family(), reader);
    }
  }

  /** The declared length of a client's body object, or -1 when no reader can tell. */
  public static long contentLength(String family, Object body) {
    ClientBodyReader reader = family == null ? null : BY_FAMILY.get(family);
    if (reader == null) {
      return -1;
    }
    try {
      return reader.contentLength(body);
    } catch (RuntimeException | LinkageError e) {
      return -1;
    }
  }

  /**
   * @return the reader for bodies of this family, or null when no installed module reads them
   */
  static ClientBodyReader forFamily(String family) {
    return BY_FAMILY.get(family);
  }
}
