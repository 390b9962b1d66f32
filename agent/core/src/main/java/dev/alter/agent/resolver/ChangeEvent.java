package dev.alter.agent.resolver;

import dev.alter.contract.ChangeKind;

/** One change the service announced on the feed: ids and a version, never credential material. */
public final class ChangeEvent {
  final long seq;
  final ChangeKind kind;
  final String grantId;
  final String secretId;
  final Long version;
  final String subjectId;

  public ChangeEvent(
      long seq, ChangeKind kind, String grantId, String secretId, Long version, String subjectId) {
    this.seq = seq;
    this.kind = kind;
    this.grantId = grantId;
    this.secretId = secretId;
    this.version = version;
    this.subjectId = subjectId;
  }

  public long seq() {
    return seq;
  }

  public ChangeKind kind() {
    return kind;
  }

  public String grantId() {
    return grantId;
  }

  public String secretId() {
    return secretId;
  }

  public Long version() {
    return version;
  }

  public String subjectId() {
    return subjectId;
  }

  @Override
  public String toString() {
    return kind.wireName()
        + "#"
        + seq
        + (grantId != null ? " grant=" + grantId : "")
        + (secretId != null ? " secret=" + secretId : "")
        + (version != null ? " version=" + version : "")
        + (subjectId != null ? " subject=" + subjectId : "");
  }
}
