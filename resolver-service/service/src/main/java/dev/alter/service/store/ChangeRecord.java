package dev.alter.service.store;

/**
 * One entry of the change log: what changed, named by ids and a version, never by content.
 *
 * @param seq the log's monotonic sequence (0 until appended)
 * @param kind one of {@code dev.alter.service.app.ChangeKind}'s wire names
 */
public record ChangeRecord(
    long seq,
    long occurredAt,
    String kind,
    String appId,
    String grantId,
    String secretId,
    Long version,
    String subjectId) {

  /** The same change as appended at {@code seq}. */
  public ChangeRecord at(long newSeq) {
    return new ChangeRecord(newSeq, occurredAt, kind, appId, grantId, secretId, version, subjectId);
  }
}
