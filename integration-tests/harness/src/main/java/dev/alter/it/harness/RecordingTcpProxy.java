package dev.alter.it.harness;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A loopback TCP relay that keeps a copy of every byte in both directions: what a network observer
 * (or a TLS-terminating proxy that logs) would see between two processes. Tests put it between the
 * agent and the resolver service.
 */
public final class RecordingTcpProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final int targetPort;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

  private RecordingTcpProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "tcp-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Relays 127.0.0.1:{@link #port()} to 127.0.0.1:{@code targetPort}. */
  public static RecordingTcpProxy to(int targetPort) {
    try {
      return new RecordingTcpProxy(targetPort);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** Everything relayed so far, both directions interleaved, as ISO-8859-1 text (byte-exact). */
  public String capturedText() {
    synchronized (captured) {
      return new String(captured.toByteArray(), StandardCharsets.ISO_8859_1);
    }
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread pump =
        new Thread(
            () -> {
              byte[] buffer = new byte[8192];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  synchronized (captured) {
                    captured.write(buffer, 0, n);
                  }
                  out.write(buffer, 0, n);
                  out.flush();
                }
              } catch (IOException ignored) {
                // one side closed
              } finally {
                try {
                  to.shutdownOutput();
                } catch (IOException ignored) {
                  // already closed
                }
              }
            },
            "tcp-proxy-pump");
    pump.setDaemon(true);
    pump.start();
  }

  @Override
  public void close() {
    try {
      listener.close();
    } catch (IOException ignored) {
      // closing
    }
  }
}
