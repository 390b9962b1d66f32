package dev.alter.service.app;

import dev.alter.service.crypto.ApiKeys;
import dev.alter.service.crypto.CredentialBinding;
import dev.alter.service.crypto.EncryptedCredential;
import dev.alter.service.crypto.EnvelopeCipher;
import dev.alter.service.store.AuditExportRepository;
import dev.alter.service.store.Database;
import dev.alter.service.store.WebhookReceiverRecord;
import dev.alter.service.store.WebhookRepository;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Registers, lists, replays and deletes webhook receivers. The signing secret is generated here,
 * answered once at registration and stored encrypted like a credential (SECURITY.md invariant 2):
 * bound to the receiver id, so a row's secret cannot be moved to another receiver.
 */
public final class WebhookService {
  static final String ID_PREFIX = "whr_";
  static final String SECRET_PREFIX = "whsec_";

  /** The binding's "app" of receiver secrets; no app id has this form. */
  private static final String BINDING_OWNER = "webhook-receiver";

  private final Database db;
  private final WebhookRepository receivers;
  private final AuditExportRepository positions;
  private final AuditExport export;
  private final EnvelopeCipher cipher;
  private final AuditTrail audit;
  private final Clock clock;

  public WebhookService(
      Database db,
      WebhookRepository receivers,
      AuditExportRepository positions,
      AuditExport export,
      EnvelopeCipher cipher,
      AuditTrail audit,
      Clock clock) {
    this.db = db;
    this.receivers = receivers;
    this.positions = positions;
    this.export = export;
    this.cipher = cipher;
    this.audit = audit;
    this.clock = clock;
  }

  /** Where a receiver's signing secret is bound (the GCM associated data). */
  static CredentialBinding binding(String receiverId) {
    return new CredentialBinding(BINDING_OWNER, receiverId, 1);
  }

  public Views.CreatedWebhook create(Caller caller, Requests.CreateWebhook request) {
    boolean allowPlainHttp = Boolean.TRUE.equals(request.allowPlainHttp());
    String url = validUrl(request.url(), allowPlainHttp);
    String description = request.description();
    if (description != null && description.length() > 200) {
      throw ApiException.invalid("description must be at most 200 characters");
    }
    export.sequence();
    long start =
        request.after() == null
            ? db.inTransaction(positions::lastPosition)
            : AuditExport.parseCursor(request.after());
    String id = ApiKeys.newId(ID_PREFIX);
    String secret = ApiKeys.newKey(SECRET_PREFIX);
    byte[] plain = secret.getBytes(StandardCharsets.UTF_8);
    EncryptedCredential sealed;
    try {
      sealed = cipher.encrypt(binding(id), plain);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot encrypt the signing secret", e);
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
    long now = clock.millis();
    WebhookReceiverRecord row =
        new WebhookReceiverRecord(
            id,
            url,
            description,
            allowPlainHttp,
            sealed,
            WebhookReceiverRecord.ACTIVE,
            start,
            0,
            null,
            0,
            null,
            null,
            now);
    db.inTransaction(
        c -> {
          receivers.insert(c, row);
          audit.write(
              c,
              AuditTrail.event(caller.actor(), "webhook.create", AuditTrail.OK)
                  .destinationHost(URI.create(url).getHost())
                  .reason("receiver " + id));
          return null;
        });
    return new Views.CreatedWebhook(view(row, start), secret);
  }

  public Views.Webhooks list() {
    long last = lastPosition();
    return new Views.Webhooks(
        db.inTransaction(receivers::list).stream().map(r -> view(r, last)).toList());
  }

  public Views.Webhook get(String receiverId) {
    long last = lastPosition();
    return view(find(receiverId), last);
  }

  /**
   * Delivers again from {@code after} (a cursor; absent: from the last acknowledged event) and
   * makes a failing receiver active.
   */
  public Views.Webhook replay(Caller caller, String receiverId, Requests.ReplayWebhook request) {
    WebhookReceiverRecord current = find(receiverId);
    long from =
        request.after() == null ? current.deliveredPos() : AuditExport.parseCursor(request.after());
    db.inTransaction(
        c -> {
          if (!receivers.replay(c, receiverId, from)) {
            throw ApiException.notFound("webhook receiver", receiverId);
          }
          audit.write(
              c,
              AuditTrail.event(caller.actor(), "webhook.replay", AuditTrail.OK)
                  .reason("receiver " + receiverId + " from cursor " + AuditExport.cursor(from)));
          return null;
        });
    return get(receiverId);
  }

  public Views.Webhook delete(Caller caller, String receiverId) {
    Views.Webhook before = get(receiverId);
    db.inTransaction(
        c -> {
          if (!receivers.delete(c, receiverId, clock.millis())) {
            throw ApiException.notFound("webhook receiver", receiverId);
          }
          audit.write(
              c,
              AuditTrail.event(caller.actor(), "webhook.delete", AuditTrail.OK)
                  .reason("receiver " + receiverId));
          return null;
        });
    return before;
  }

  /** The plaintext signing secret, for the dispatcher only. */
  String signingSecret(WebhookReceiverRecord row) throws GeneralSecurityException {
    byte[] plain = cipher.decrypt(binding(row.receiverId()), row.signingSecret());
    try {
      return new String(plain, StandardCharsets.UTF_8);
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  private WebhookReceiverRecord find(String receiverId) {
    return db.inTransaction(c -> receivers.find(c, receiverId))
        .orElseThrow(() -> ApiException.notFound("webhook receiver", receiverId));
  }

  private long lastPosition() {
    export.sequence();
    return db.inTransaction(positions::lastPosition);
  }

  static String validUrl(String url, boolean allowPlainHttp) {
    if (url == null || url.isEmpty() || url.length() > 2048) {
      throw ApiException.invalid("url must be an absolute https URL of at most 2048 characters");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw ApiException.invalid("url is not a valid URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      throw ApiException.invalid("url must be an https URL");
    }
    if (scheme.equals("http") && !allowPlainHttp) {
      throw ApiException.invalid(
          "url must be https: audit events are sent there; set allow_plain_http to true to accept"
              + " plain http (e.g. a receiver on the same host)");
    }
    if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
      throw ApiException.invalid("url must name a host, without user info or fragment");
    }
    return uri.toString();
  }

  static Views.Webhook view(WebhookReceiverRecord r, long lastPosition) {
    return new Views.Webhook(
        r.receiverId(),
        r.url(),
        r.description(),
        r.allowPlainHttp(),
        r.status(),
        AuditExport.cursor(r.deliveredPos()),
        Math.max(0, lastPosition - r.deliveredPos()),
        r.attempts(),
        Times.format(r.failingSince()),
        r.attempts() == 0 ? null : Times.format(r.nextAttemptAt()),
        r.lastError(),
        Times.format(r.lastDeliveredAt()),
        Times.format(r.createdAt()));
  }

  /** The rows of receivers deliveries may go to now, for the dispatcher. */
  List<WebhookReceiverRecord> rows() {
    return db.inTransaction(receivers::list);
  }
}
