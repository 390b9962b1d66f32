package dev.alter.service.http;

import io.javalin.http.Context;
import jakarta.servlet.ServletInputStream;
import java.io.IOException;

/**
 * Reads and drops what a client is still sending of a body the service did not read (rejected
 * before authentication, for its size, or for its route), up to a bound. Answering and closing
 * while request bytes are unread makes the kernel reset the connection, and the reset can destroy
 * the answer before the client reads it: the client sees a broken connection instead of a 401 or a
 * 413. Past the bound the connection is closed regardless, since draining costs the service.
 */
final class UnreadBodyDrain {
  private final long boundBytes;

  UnreadBodyDrain(long boundBytes) {
    this.boundBytes = boundBytes;
  }

  void drain(Context ctx) {
    long declared = ctx.req().getContentLengthLong();
    if (declared == 0 || declared > boundBytes) {
      return;
    }
    try {
      ServletInputStream in = ctx.req().getInputStream();
      if (in.isFinished()) {
        return; // read to the end (or no body): the common case, and a read here is not free
      }
      byte[] sink = new byte[8192];
      long drained = 0;
      int n;
      while (drained < boundBytes && (n = in.read(sink)) >= 0) {
        drained += n;
      }
    } catch (IOException | IllegalStateException clientGone) {
      // Nothing to answer to: the connection closes as it would have without the drain.
    }
  }
}
