package dev.alter.it.awssdk;

import dev.alter.it.child.ChildReport;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The S3 calls of one run, each reported as one JSON line: the rightly keyed client creates a
 * bucket, puts a small, a 3 MiB and a 9 MiB object (the last streamed from an InputStream, past the
 * agent's 8 MiB hashing limit), reads them back and lists them; then the wrongly keyed client tries
 * the same kinds of call on that bucket (each must be refused by the server; its put is small,
 * because a server that refuses early closes the connection while a large body is still being
 * written, which the client reports as a broken pipe instead of the answer); then the rightly keyed
 * client deletes the objects (one by DeleteObject, two by DeleteObjects) and the bucket.
 */
final class S3Scenario {
  static final String SMALL_KEY = "small.txt";
  static final String THREE_MIB_KEY = "three-mib.bin";
  static final String NINE_MIB_KEY = "nine-mib.bin";

  private final ScenarioRun run;
  private final String bucket;
  private final S3Client good;
  private final S3Client wrong;
  private final RequestObserver observer;
  private final byte[] small = payload(SMALL_KEY);
  private final byte[] threeMib = payload(THREE_MIB_KEY);
  private final byte[] nineMib = payload(NINE_MIB_KEY);
  private int failedSteps;

  S3Scenario(
      ScenarioRun run, String bucket, S3Client good, S3Client wrong, RequestObserver observer) {
    this.run = run;
    this.bucket = bucket;
    this.good = good;
    this.wrong = wrong;
    this.observer = observer;
  }

  /**
   * Runs every step (a failed step does not stop the run); answers how many failed unexpectedly.
   */
  int runAll() {
    step(
        "create_bucket",
        "good",
        () -> {
          good.createBucket(b -> b.bucket(bucket));
          return Map.of();
        });
    step("put_small", "good", () -> put(good, SMALL_KEY, RequestBody.fromBytes(small)));
    step("put_3mib", "good", () -> put(good, THREE_MIB_KEY, RequestBody.fromBytes(threeMib)));
    step(
        "put_9mib_stream",
        "good",
        () ->
            put(
                good,
                NINE_MIB_KEY,
                RequestBody.fromInputStream(new ByteArrayInputStream(nineMib), nineMib.length)));
    step("get_small", "good", () -> get(good, SMALL_KEY, small));
    step("get_3mib", "good", () -> get(good, THREE_MIB_KEY, threeMib));
    step("get_9mib", "good", () -> get(good, NINE_MIB_KEY, nineMib));
    step("list", "good", () -> Map.of("keys", keys(good)));
    if (wrong != null) {
      step(
          "create_bucket",
          "wrong",
          () -> {
            wrong.createBucket(b -> b.bucket(bucket + "-w"));
            return Map.of();
          });
      step(
          "put_small",
          "wrong",
          () -> put(wrong, "wrong-" + SMALL_KEY, RequestBody.fromBytes(small)));
      step("get_small", "wrong", () -> get(wrong, SMALL_KEY, small));
      step("list", "wrong", () -> Map.of("keys", keys(wrong)));
      step(
          "delete_object",
          "wrong",
          () -> {
            wrong.deleteObject(d -> d.bucket(bucket).key(SMALL_KEY));
            return Map.of();
          });
      step(
          "delete_bucket",
          "wrong",
          () -> {
            wrong.deleteBucket(d -> d.bucket(bucket));
            return Map.of();
          });
    }
    step(
        "delete_object",
        "good",
        () -> {
          good.deleteObject(d -> d.bucket(bucket).key(SMALL_KEY));
          return Map.of();
        });
    step(
        "delete_objects",
        "good",
        () -> {
          DeleteObjectsResponse response =
              good.deleteObjects(
                  d ->
                      d.bucket(bucket)
                          .delete(
                              Delete.builder()
                                  .objects(
                                      ObjectIdentifier.builder().key(THREE_MIB_KEY).build(),
                                      ObjectIdentifier.builder().key(NINE_MIB_KEY).build())
                                  .build()));
          List<String> deleted = new ArrayList<>();
          response.deleted().forEach(d -> deleted.add(d.key()));
          return Map.of("deleted", deleted, "errors", response.errors().size());
        });
    step("list_after_delete", "good", () -> Map.of("keys", keys(good)));
    step(
        "delete_bucket",
        "good",
        () -> {
          good.deleteBucket(d -> d.bucket(bucket));
          return Map.of();
        });
    step(
        "list_buckets",
        "good",
        () -> {
          List<String> names = new ArrayList<>();
          for (Bucket b : good.listBuckets().buckets()) {
            names.add(b.name());
          }
          return Map.of("buckets", names);
        });
    return failedSteps;
  }

  private Map<String, Object> put(S3Client client, String key, RequestBody body) {
    String etag = client.putObject(p -> p.bucket(bucket).key(key), body).eTag();
    return Map.of("etag", String.valueOf(etag));
  }

  private Map<String, Object> get(S3Client client, String key, byte[] expected) {
    byte[] actual = client.getObjectAsBytes(g -> g.bucket(bucket).key(key)).asByteArray();
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("length", actual.length);
    result.put("expected_length", expected.length);
    result.put("bytes_match", Arrays.equals(actual, expected));
    return result;
  }

  private List<String> keys(S3Client client) {
    List<String> keys = new ArrayList<>();
    for (S3Object object : client.listObjectsV2(l -> l.bucket(bucket)).contents()) {
      keys.add(object.key());
    }
    return keys;
  }

  private void step(String name, String as, Callable<Map<String, Object>> action) {
    ChildReport report = ChildReport.create().put("run", run.name).put("step", name).put("as", as);
    observer.drain();
    try {
      Map<String, Object> result = action.call();
      report.put("ok", true).put("result", result);
    } catch (Exception e) {
      report.put("ok", false).put("failure", FailureDescription.of(e));
      if (as.equals("good")) {
        failedSteps++;
      }
    }
    report.put("requests", observer.drain()).print();
  }

  /** The bytes stored under each key (the same in every run, so a test can recompute them). */
  static byte[] payload(String key) {
    switch (key) {
      case SMALL_KEY:
        return "hello from the unchanged AWS SDK for Java v2\n".getBytes(StandardCharsets.UTF_8);
      case THREE_MIB_KEY:
        return randomBytes(3 << 20, 3);
      case NINE_MIB_KEY:
        return randomBytes(9 << 20, 9);
      default:
        throw new IllegalArgumentException(key);
    }
  }

  private static byte[] randomBytes(int length, long seed) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }
}
