package dev.alter.service.live;

import dev.alter.contract.ChangeKind;
import dev.alter.service.store.ChangeLogRepository;
import dev.alter.service.store.ChangeRecord;
import dev.alter.service.store.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends what running agents must learn about to the change log, inside the caller's transaction
 * (so the entry commits with the change or not at all), and tells this replica's {@link
 * ChangeFollower} to expect it. Entries hold ids and versions, never credential material
 * (SECURITY.md invariant 1). Also keeps the log bounded and announces grants whose expiry time has
 * passed.
 */
public final class ChangeLog {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeLog.class);

  private final Database db;
  private final ChangeLogRepository repository;
  private final Clock clock;
  private final long retentionMillis;
  private volatile ChangeFollower follower;

  public ChangeLog(Database db, ChangeLogRepository repository, Clock clock, long retentionMillis) {
    this.db = db;
    this.repository = repository;
    this.clock = clock;
    this.retentionMillis = retentionMillis;
  }

  void follower(ChangeFollower follower) {
    this.follower = follower;
  }

  public long retentionMillis() {
    return retentionMillis;
  }

  public void grantCreated(Connection c, String appId, String secretId, String grantId)
      throws SQLException {
    append(c, ChangeKind.GRANT_CREATED, appId, grantId, secretId, null, null);
  }

  public void grantRevoked(Connection c, String appId, String secretId, String grantId)
      throws SQLException {
    append(c, ChangeKind.GRANT_REVOKED, appId, grantId, secretId, null, null);
  }

  public void grantUpdated(Connection c, String appId, String secretId, String grantId)
      throws SQLException {
    append(c, ChangeKind.GRANT_UPDATED, appId, grantId, secretId, null, null);
  }

  public void secretRotated(Connection c, String appId, String secretId, long version)
      throws SQLException {
    append(c, ChangeKind.SECRET_ROTATED, appId, null, secretId, version, null);
  }

  public void secretUpdated(Connection c, String appId, String secretId) throws SQLException {
    append(c, ChangeKind.SECRET_UPDATED, appId, null, secretId, null, null);
  }

  public void secretDeleted(Connection c, String appId, String secretId) throws SQLException {
    append(c, ChangeKind.SECRET_DELETED, appId, null, secretId, null, null);
  }

  public void appKeyRevoked(Connection c, String appId, String keyId) throws SQLException {
    append(c, ChangeKind.APP_KEY_REVOKED, appId, null, null, null, keyId);
  }

  public void adminKeyRevoked(Connection c, String keyId) throws SQLException {
    append(c, ChangeKind.ADMIN_KEY_REVOKED, null, null, null, null, keyId);
  }

  public void agentTokenRevoked(Connection c, String agentId) throws SQLException {
    append(c, ChangeKind.AGENT_TOKEN_REVOKED, null, null, null, null, agentId);
  }

  public void idpChanged(Connection c, String idpId) throws SQLException {
    append(c, ChangeKind.IDP_CHANGED, null, null, null, null, idpId);
  }

  private void append(
      Connection c,
      ChangeKind kind,
      String appId,
      String grantId,
      String secretId,
      Long version,
      String subjectId)
      throws SQLException {
    ChangeRecord appended =
        repository.append(
            c,
            new ChangeRecord(
                0, clock.millis(), kind.wireName(), appId, grantId, secretId, version, subjectId));
    ChangeFollower f = follower;
    if (f != null) {
      f.expect(appended.seq());
    }
  }

  /**
   * Appends {@code grant_expired} for each grant whose expiry passed within the retention and is
   * not in the log yet. Replicas race for it under the head's lock, so each expiry is logged once.
   */
  void announceExpiredGrants() {
    long now = clock.millis();
    long notBefore = now - retentionMillis;
    String kind = ChangeKind.GRANT_EXPIRED.wireName();
    if (db.inTransaction(c -> repository.unannouncedExpiries(c, kind, notBefore, now)).isEmpty()) {
      return;
    }
    int announced =
        db.inTransaction(
            c -> {
              repository.lockHead(c);
              List<ChangeLogRepository.UnannouncedExpiry> due =
                  repository.unannouncedExpiries(c, kind, notBefore, now);
              for (ChangeLogRepository.UnannouncedExpiry e : due) {
                append(
                    c, ChangeKind.GRANT_EXPIRED, e.appId(), e.grantId(), e.secretId(), null, null);
              }
              return due.size();
            });
    LOG.debug("announced {} expired grant(s)", announced);
  }

  /** Deletes entries older than the retention. */
  void prune() {
    long cutoff = clock.millis() - retentionMillis;
    int deleted = db.inTransaction(c -> repository.deleteOlderThan(c, cutoff));
    if (deleted > 0) {
      LOG.debug("pruned {} change log entries older than the retention", deleted);
    }
  }
}
