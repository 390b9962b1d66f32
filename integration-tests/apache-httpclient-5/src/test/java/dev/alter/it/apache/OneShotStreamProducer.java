package dev.alter.it.apache;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Set;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.DataStreamChannel;

/**
 * An app's own async body that reads an {@link InputStream} once, as an upload from a stream would:
 * not repeatable, of known length. Uses only API that HttpCore 5.1 has too.
 */
final class OneShotStreamProducer implements AsyncEntityProducer {
  private final InputStream in;
  private final long length;
  private final ContentType contentType;
  private final ByteBuffer buffer = ByteBuffer.allocate(8192);
  private boolean eof;

  OneShotStreamProducer(InputStream in, long length, ContentType contentType) {
    this.in = in;
    this.length = length;
    this.contentType = contentType;
    buffer.flip();
  }

  @Override
  public boolean isRepeatable() {
    return false;
  }

  @Override
  public void failed(Exception cause) {}

  @Override
  public long getContentLength() {
    return length;
  }

  @Override
  public String getContentType() {
    return contentType.toString();
  }

  @Override
  public String getContentEncoding() {
    return null;
  }

  @Override
  public boolean isChunked() {
    return false;
  }

  @Override
  public Set<String> getTrailerNames() {
    return null;
  }

  @Override
  public int available() {
    return eof && !buffer.hasRemaining() ? 0 : buffer.capacity();
  }

  @Override
  public void produce(DataStreamChannel channel) throws IOException {
    while (true) {
      if (!buffer.hasRemaining() && !eof) {
        buffer.clear();
        int n = in.read(buffer.array(), 0, buffer.capacity());
        if (n < 0) {
          eof = true;
          buffer.limit(0);
        } else {
          buffer.limit(n);
        }
      }
      if (buffer.hasRemaining()) {
        channel.write(buffer);
        if (buffer.hasRemaining()) {
          channel.requestOutput();
          return;
        }
      } else if (eof) {
        channel.endStream();
        return;
      }
    }
  }

  @Override
  public void releaseResources() {}
}
