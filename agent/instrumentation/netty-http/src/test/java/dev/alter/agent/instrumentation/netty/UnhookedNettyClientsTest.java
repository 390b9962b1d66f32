package dev.alter.agent.instrumentation.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.alter.agent.bootstrap.UnhookedNettyClients;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.logging.LoggingHandler;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The WARNING for a tagged request refused at Netty's HTTP/2 encoder, on real Netty pipelines: once
 * per client, naming the client's handler and the pipeline, whatever the context it is called with.
 */
class UnhookedNettyClientsTest {
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  /** Stands for a client's own connection handler. */
  static final class FirstClientsHandler extends ChannelDuplexHandler {}

  /** Another client's. */
  static final class SecondClientsHandler extends ChannelDuplexHandler {}

  @BeforeEach
  void captureTheAgentsLog() {
    Logger.getLogger("dev.alter.agent").addHandler(capture);
  }

  @AfterEach
  void release() {
    Logger.getLogger("dev.alter.agent").removeHandler(capture);
  }

  private List<String> warnings() {
    SimpleFormatter formatter = new SimpleFormatter();
    return records.stream()
        .filter(r -> r.getLevel() == Level.WARNING)
        .map(formatter::formatMessage)
        .collect(Collectors.toList());
  }

  private static ChannelHandlerContext encoderContext(ChannelDuplexHandler clientsHandler) {
    EmbeddedChannel channel = new EmbeddedChannel();
    channel.pipeline().addLast("logging", new LoggingHandler());
    channel.pipeline().addLast("client-connection", clientsHandler);
    return channel.pipeline().firstContext();
  }

  @Test
  void warnsOncePerClientNamingItsHandlerAndThePipeline() {
    ChannelHandlerContext first = encoderContext(new FirstClientsHandler());
    UnhookedNettyClients.warnOnce(first);
    UnhookedNettyClients.warnOnce(first);
    UnhookedNettyClients.warnOnce(encoderContext(new FirstClientsHandler()));

    assertThat(warnings())
        .singleElement()
        .satisfies(
            warning ->
                assertThat(warning)
                    .contains("client " + FirstClientsHandler.class.getName())
                    .contains(
                        "channel pipeline [logging=io.netty.handler.logging.LoggingHandler,"
                            + " client-connection="
                            + FirstClientsHandler.class.getName())
                    .contains("refused (internal_error) and not sent", "HTTP/1.1"));

    UnhookedNettyClients.warnOnce(encoderContext(new SecondClientsHandler()));
    assertThat(warnings()).hasSize(2);
    assertThat(warnings().get(1)).contains("client " + SecondClientsHandler.class.getName());
  }

  @Test
  void somethingThatIsNotAHandlerContextLogsNothingAndDoesNotThrow() {
    UnhookedNettyClients.warnOnce("not a context");
    UnhookedNettyClients.warnOnce(null);
    assertThat(warnings()).isEmpty();
  }
}
