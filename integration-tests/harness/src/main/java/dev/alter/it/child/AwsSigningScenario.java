package dev.alter.it.child;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Hand-built AWS requests (no AWS SDK) that an application sends with {@code alter-grant} and no
 * signature of its own, for the agent to sign with SigV4. Each client's child app implements {@link
 * Client} with its own HTTP library; {@link #run} sends every step in order and prints one {@link
 * ChildReport} per step ({@code step}, then {@code status} or {@code error}).
 *
 * <p>JDK-only: this class runs in child JVMs next to any client library.
 */
public final class AwsSigningScenario {
  public static final String SQS_HOST = "sqs.eu-west-1.amazonaws.com";
  public static final String S3_HOST = "s3.eu-west-1.amazonaws.com";

  /** More than the agent hashes by default (8 MiB). */
  public static final int LARGE_BODY_BYTES = 8 * 1024 * 1024 + 4096;

  /** What an app (or an SDK with dummy credentials) already set; the agent must replace both. */
  public static final String PLACEHOLDER_AUTHORIZATION =
      "AWS4-HMAC-SHA256 Credential=AKIAPLACEHOLDER/20000101/eu-west-1/sqs/aws4_request, "
          + "SignedHeaders=host, Signature=0000000000000000000000000000000000000000000000000000000000000000";

  public static final String PLACEHOLDER_DATE = "20000101T000000Z";

  /** How the client must hand the body over. */
  public enum BodyKind {
    /** no body at all */
    NONE,
    /** the client's ordinary repeatable in-memory body (byte array / string) */
    BUFFERED,
    /** a one-shot stream the client cannot read twice (input stream, streaming mode) */
    STREAMED
  }

  /** One request to send. */
  public static final class Step {
    public final String name;
    public final String method;
    public final String url;

    /** name/value pairs, in order; repeated names allowed */
    public final List<String[]> headers;

    public final BodyKind bodyKind;
    public final byte[] body;
    public final String contentType;

    Step(
        String name,
        String method,
        String url,
        List<String[]> headers,
        BodyKind bodyKind,
        byte[] body,
        String contentType) {
      this.name = name;
      this.method = method;
      this.url = url;
      this.headers = headers;
      this.bodyKind = bodyKind;
      this.body = body;
      this.contentType = contentType;
    }
  }

  /** Sends one step with the app's HTTP client and returns the HTTP status. */
  public interface Client {
    int send(Step step) throws Exception;
  }

  private AwsSigningScenario() {}

  /** Step names, in the order {@link #run} sends them. */
  public static final String SQS_GET_QUERY = "sqs-get-query";

  public static final String SQS_POST_FORM = "sqs-post-form";
  public static final String S3_PUT_METADATA = "s3-put-metadata";
  public static final String SQS_LARGE_BODY = "sqs-large-body";
  public static final String S3_PUT_STREAMED = "s3-put-streamed";

  /** The path (without query) each step is sent to: tests find what the server received by it. */
  public static String path(String stepName) {
    switch (stepName) {
      case SQS_GET_QUERY:
        return "/123456789012/alter-it-get";
      case SQS_POST_FORM:
        return "/123456789012/alter-it-post";
      case S3_PUT_METADATA:
        return "/alter-it-bucket/notes/meta.txt";
      case SQS_LARGE_BODY:
        return "/123456789012/alter-it-large";
      case S3_PUT_STREAMED:
        return "/alter-it-bucket/uploads/streamed.bin";
      default:
        throw new IllegalArgumentException(stepName);
    }
  }

  public static byte[] formBody() {
    return "Action=SendMessage&MessageBody=hello%20from%20alter&Version=2012-11-05"
        .getBytes(StandardCharsets.UTF_8);
  }

  public static byte[] metadataObject() {
    return "a small S3 object\n".getBytes(StandardCharsets.UTF_8);
  }

  /** Not a multiple of any buffer size, and not all one byte. */
  public static byte[] streamedObject() {
    byte[] data = new byte[70_001];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 31 + 7);
    }
    return data;
  }

  public static List<Step> steps(int port, String grant) {
    String sqs = "https://" + SQS_HOST + ":" + port;
    String s3 = "https://" + S3_HOST + ":" + port;
    List<Step> steps = new ArrayList<>();
    // query out of order, a repeated name, a value needing encoding
    // and an Authorization / X-Amz-Date the app (or an SDK with dummy credentials) set itself
    List<String[]> get = headers(grant);
    get.add(new String[] {"Authorization", PLACEHOLDER_AUTHORIZATION});
    get.add(new String[] {"X-Amz-Date", PLACEHOLDER_DATE});
    steps.add(
        new Step(
            SQS_GET_QUERY,
            "GET",
            sqs
                + path(SQS_GET_QUERY)
                + "?Version=2012-11-05&Action=ReceiveMessage&AttributeName.2=SentTimestamp"
                + "&AttributeName.1=All&tag=b&tag=a&WaitTimeSeconds=0&filter=a%20b%2Fc",
            get,
            BodyKind.NONE,
            null,
            null));
    steps.add(
        new Step(
            SQS_POST_FORM,
            "POST",
            sqs + path(SQS_POST_FORM),
            headers(grant),
            BodyKind.BUFFERED,
            formBody(),
            "application/x-www-form-urlencoded"));
    List<String[]> put = headers(grant);
    put.add(new String[] {"x-amz-meta-owner", "alice"});
    put.add(new String[] {"X-Amz-Meta-Purpose", "signing  test"});
    steps.add(
        new Step(
            S3_PUT_METADATA,
            "PUT",
            s3 + path(S3_PUT_METADATA),
            put,
            BodyKind.BUFFERED,
            metadataObject(),
            "text/plain"));
    byte[] large = new byte[LARGE_BODY_BYTES];
    Arrays.fill(large, (byte) 'x');
    steps.add(
        new Step(
            SQS_LARGE_BODY,
            "POST",
            sqs + path(SQS_LARGE_BODY),
            headers(grant),
            BodyKind.BUFFERED,
            large,
            "application/x-www-form-urlencoded"));
    steps.add(
        new Step(
            S3_PUT_STREAMED,
            "PUT",
            s3 + path(S3_PUT_STREAMED),
            headers(grant),
            BodyKind.STREAMED,
            streamedObject(),
            "application/octet-stream"));
    return steps;
  }

  private static List<String[]> headers(String grant) {
    List<String[]> headers = new ArrayList<>();
    headers.add(new String[] {"alter-grant", grant});
    return headers;
  }

  /** {@code args}: port, grant. Prints one report per step, then {@code done}. */
  public static void run(String[] args, Client client) {
    int port = Integer.parseInt(args[0]);
    String grant = args[1];
    for (Step step : steps(port, grant)) {
      ChildReport report = ChildReport.create().put("step", step.name);
      try {
        report.put("status", client.send(step));
      } catch (Throwable e) {
        report.error(e);
      }
      report.print();
    }
    ChildReport.create().put("done", true).print();
  }
}
