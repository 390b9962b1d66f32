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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A forward HTTP proxy on loopback that answers {@code CONNECT host:port} by tunnelling to
 * 127.0.0.1:port, and keeps each CONNECT request head and every byte it relayed from the client:
 * what a proxy operator could log.
 */
public final class ConnectProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final List<String> connectHeads = new CopyOnWriteArrayList<>();
  private final ByteArrayOutputStream relayed = new ByteArrayOutputStream();

  public ConnectProxy() {
    try {
      this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread acceptor = new Thread(this::acceptLoop, "connect-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** The CONNECT request heads received, in order. */
  public List<String> connectHeads() {
    return List.copyOf(connectHeads);
  }

  /** Every byte the client sent through a tunnel, as ISO-8859-1 text. */
  public String relayedText() {
    synchronized (relayed) {
      return new String(relayed.toByteArray(), StandardCharsets.ISO_8859_1);
    }
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Thread tunnel = new Thread(() -> tunnel(client), "connect-proxy-tunnel");
        tunnel.setDaemon(true);
        tunnel.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void tunnel(Socket client) {
    try {
      InputStream in = client.getInputStream();
      String head = readHead(in);
      connectHeads.add(head);
      String[] requestLine = head.substring(0, head.indexOf("\r\n")).split(" ");
      if (!requestLine[0].equals("CONNECT")) {
        client.getOutputStream().write("HTTP/1.1 405 Only CONNECT\r\n\r\n".getBytes());
        client.close();
        return;
      }
      int port = Integer.parseInt(requestLine[1].substring(requestLine[1].lastIndexOf(':') + 1));
      Socket upstream = new Socket(InetAddress.getLoopbackAddress(), port);
      client
          .getOutputStream()
          .write("HTTP/1.1 200 Connection Established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      pump(in, upstream, client, true);
      pump(upstream.getInputStream(), client, upstream, false);
    } catch (IOException | RuntimeException e) {
      closeQuietly(client);
    }
  }

  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0) {
      head.append((char) b);
      if (head.length() >= 4 && head.lastIndexOf("\r\n\r\n") == head.length() - 4) {
        break;
      }
    }
    return head.toString();
  }

  private void pump(InputStream from, Socket to, Socket source, boolean record) {
    Thread pump =
        new Thread(
            () -> {
              byte[] buffer = new byte[16384];
              try (OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = from.read(buffer)) >= 0) {
                  if (record) {
                    synchronized (relayed) {
                      relayed.write(buffer, 0, n);
                    }
                  }
                  out.write(buffer, 0, n);
                  out.flush();
                }
              } catch (IOException e) {
                // one side closed: close both below
              } finally {
                closeQuietly(source);
                closeQuietly(to);
              }
            },
            "connect-proxy-pump");
    pump.setDaemon(true);
    pump.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() {
    try {
      listener.close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
