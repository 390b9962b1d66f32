package dev.alter.service.store;

import dev.alter.contract.InjectionSpec;
import java.util.List;

/**
 * What an app's users may upload for one provider: where the key goes and how (fixed by the
 * operator), whose users may upload, and how many keys each user may keep.
 */
public record UserSecretAllowanceRecord(
    String appId,
    String provider,
    InjectionSpec injection,
    List<String> destinations,
    List<String> idpIds,
    int maxPerUser,
    long createdAt,
    long updatedAt) {}
